import nl from '../../i18n/ogc.nl.json' with { type: 'json' };
import en from '../../i18n/ogc.en.json' with { type: 'json' };

export type Lang = 'nl' | 'en';
export type MessageKey = keyof typeof nl.ogc;

/** A server text of /ogc and the JSON errors of /api, in the request's language (Dutch first). */
export function message(
	lang: Lang,
	key: MessageKey,
	vars: Record<string, string | number> = {}
): string {
	const template = (lang === 'en' ? en : nl).ogc[key];
	return template.replace(/\{(\w+)\}/g, (m, name: string) =>
		name in vars ? String(vars[name]) : m
	);
}

/**
 * A refusal with its HTTP status and OGC exception code; `key`/`vars` make the text, so a
 * caller never has to read a message to know what went wrong.
 */
export class OgcError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly key: MessageKey,
		readonly vars: Record<string, string | number> = {}
	) {
		super(message('nl', key, vars));
	}
}

/** The body of an error: the OGC exception shape (code, description) plus `error` as /api has it. */
export function errorResponse(
	lang: Lang,
	err: OgcError,
	headers: Record<string, string> = {}
): Response {
	const text = message(lang, err.key, err.vars);
	return new Response(JSON.stringify({ code: err.code, description: text, error: text }), {
		status: err.status,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-language': lang,
			...headers
		}
	});
}
