import type { RequestEvent } from '@sveltejs/kit';
import { readStoreFor } from '../http/json.ts';
import type { Db } from '../db/types.ts';
import { isAnswerable } from '../http/errors.ts';
import { errorResponse, type Lang } from './messages.ts';
import { parseFormat, type Format } from './params.ts';

export interface OgcContext {
	db: Db;
	lang: Lang;
	url: URL;
	/** The absolute base of the API, e.g. https://wijkkaart.example/ogc. */
	base: string;
	format: Format;
}

/**
 * Runs an /ogc handler: the store, language and format of the request, and every refusal
 * (OgcError or any other AppError under 500) as a JSON exception (never an HTML error page).
 */
export async function ogc(
	event: RequestEvent,
	handler: (ctx: OgcContext) => Promise<Response>
): Promise<Response> {
	const lang: Lang = (event.locals as { lang?: Lang }).lang === 'en' ? 'en' : 'nl';
	try {
		const format = parseFormat(event.url.searchParams, event.request.headers.get('accept'));
		const db = await readStoreFor(event);
		return await handler({ db, lang, url: event.url, base: `${event.url.origin}/ogc`, format });
	} catch (err) {
		if (isAnswerable(err)) return errorResponse(lang, err);
		throw err;
	}
}

export function body(value: unknown, type: string, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(value), {
		headers: { 'content-type': type, 'cache-control': 'no-cache', ...headers }
	});
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The HTML view of any /ogc document, for a person in a browser: its links, the features'
 * properties as a table, and the JSON itself. GIS clients ask for JSON.
 */
export function html(
	title: string,
	doc: {
		links?: { href: string; rel: string; title?: string; type?: string }[];
		features?: { id?: unknown; properties: Record<string, unknown> | null }[];
	},
	lang: Lang
): Response {
	const links = (doc.links ?? [])
		.map(
			(l) =>
				`<li><a href="${esc(l.href)}">${esc(l.title ?? l.rel)}</a> <small>(${esc(l.rel)}${l.type ? `, ${esc(l.type)}` : ''})</small></li>`
		)
		.join('');
	let table = '';
	if (doc.features?.length) {
		const cols = [...new Set(doc.features.flatMap((f) => Object.keys(f.properties ?? {})))];
		const cell = (v: unknown) =>
			esc(
				v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
			);
		table = `<table><caption>${esc(title)}</caption><thead><tr><th scope="col">id</th>${cols.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>${doc.features
			.map(
				(f) =>
					`<tr><th scope="row">${cell(f.id)}</th>${cols.map((c) => `<td>${cell(f.properties?.[c])}</td>`).join('')}</tr>`
			)
			.join('')}</tbody></table>`;
	}
	const page = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head>
<body><main><h1>${esc(title)}</h1><nav><ul>${links}</ul></nav>${table}<details><summary>JSON</summary><pre>${esc(JSON.stringify(doc, null, 2))}</pre></details></main></body></html>`;
	return new Response(page, {
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-cache',
			'content-language': lang
		}
	});
}
