import type { RequestEvent } from '@sveltejs/kit';
import { xmlDocument, type XmlValue } from '../../domain/xml.ts';
import nl from '../../i18n/open311.nl.json' with { type: 'json' };
import en from '../../i18n/open311.en.json' with { type: 'json' };
import { readStoreFor, storeFor } from '../http/json.ts';
import type { Db } from '../db/types.ts';

export type Lang = 'nl' | 'en';
export type Format = 'json' | 'xml';
export type TextKey = keyof typeof nl.open311;

export function text(lang: Lang, key: TextKey, vars: Record<string, string | number> = {}): string {
	return (lang === 'en' ? en : nl).open311[key].replace(/\{(\w+)\}/g, (m, name: string) =>
		name in vars ? String(vars[name]) : m
	);
}

/** A refusal in the GeoReport v2 error format; `key`/`vars` make the text in the request's language. */
export class Open311Error extends Error {
	constructor(
		readonly status: number,
		readonly key: TextKey,
		readonly vars: Record<string, string | number> = {}
	) {
		super(text('nl', key, vars));
	}
}

/** One error of the list: GeoReport v2 uses the HTTP status as its code. */
export interface ErrorItem {
	code: number;
	description: string;
}

/** "services.json" → { name: 'services', format: 'json' }; anything else is a 404 in JSON. */
export function splitFile(file: string): { name: string; format: Format } {
	const m = /^(.+)\.(json|xml)$/.exec(file);
	if (!m) throw new Open311Error(404, 'badFormat', { file });
	return { name: m[1], format: m[2] as Format };
}

const TYPES: Record<Format, string> = {
	json: 'application/json; charset=utf-8',
	xml: 'text/xml; charset=utf-8'
};

/**
 * A GeoReport v2 document: JSON as is; XML as `<root>` with one `<element>` per list item (the
 * element names of the spec: services/service, service_requests/request, errors/error).
 */
export function document(
	format: Format,
	value: unknown,
	xml: { root: string; element?: string },
	init: { status?: number; lang: Lang; headers?: Record<string, string> }
): Response {
	const body =
		format === 'json'
			? JSON.stringify(value)
			: xmlDocument(
					xml.root,
					(xml.element ? { [xml.element]: value as XmlValue[] } : value) as XmlValue
				);
	return new Response(body, {
		status: init.status ?? 200,
		headers: {
			'content-type': TYPES[format],
			'content-language': init.lang,
			'cache-control': 'no-cache',
			...init.headers
		}
	});
}

export function errors(
	format: Format,
	status: number,
	list: ErrorItem[],
	lang: Lang,
	headers: Record<string, string> = {}
): Response {
	return document(
		format,
		list,
		{ root: 'errors', element: 'error' },
		{ status, lang, headers: { 'cache-control': 'no-store', ...headers } }
	);
}

export interface Open311Context {
	db: Db;
	lang: Lang;
	format: Format;
	name: string;
	url: URL;
}

/**
 * Runs a GeoReport v2 handler for `/open311/v2/…/<name>.<format>`: the store, the language of
 * the request (Dutch first) and every Open311Error in the spec's error format, in the format
 * asked for (JSON when the address names none). Reads may come from a replica, a `write` not.
 */
export async function open311(
	event: RequestEvent,
	file: string,
	handler: (ctx: Open311Context) => Promise<Response>,
	write = false
): Promise<Response> {
	const lang: Lang = (event.locals as { lang?: Lang }).lang === 'en' ? 'en' : 'nl';
	let format: Format = /\.xml$/.test(file) ? 'xml' : 'json';
	try {
		const split = splitFile(file);
		format = split.format;
		return await handler({
			db: write ? await storeFor(event) : await readStoreFor(event),
			lang,
			format,
			name: split.name,
			url: event.url
		});
	} catch (err) {
		if (err instanceof Open311Error)
			return errors(
				format,
				err.status,
				[{ code: err.status, description: text(lang, err.key, err.vars) }],
				lang
			);
		throw err;
	}
}
