import { AppError, msg } from '../../domain/errors.ts';
import type { MessageParams } from '../../i18n/localize.ts';
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

/** The OGC exception codes (OGC 17-069, as pygeoapi answers them) this API uses. */
export type OgcException = 'InvalidParameterValue' | 'NotFound' | 'InvalidRequest';

/**
 * A refusal of /ogc: an AppError (status, catalogue code errors.ogc.<key>, params) that also
 * names its OGC exception code.
 */
export class OgcError extends AppError {
	constructor(
		status: number,
		readonly exception: OgcException,
		key: string,
		vars: MessageParams = {}
	) {
		super(msg(`errors.ogc.${key}`, vars), { status });
	}
}

/** The OGC exception code of any refusal: its own, or the one its status means. */
function exceptionOf(err: AppError): OgcException {
	if (err instanceof OgcError) return err.exception;
	return err.status === 404
		? 'NotFound'
		: err.status === 400
			? 'InvalidParameterValue'
			: 'InvalidRequest';
}

/**
 * The one mapping from an AppError to an /ogc answer: the OGC exception shape (code,
 * description) plus `error` and `messageCode` as /api has them, in the request's language.
 */
export function errorResponse(
	lang: Lang,
	err: AppError,
	headers: Record<string, string> = {}
): Response {
	const text = err.messageIn(lang);
	const out: Record<string, unknown> = { code: exceptionOf(err), description: text, error: text };
	if (err.code) out.messageCode = err.code;
	return new Response(JSON.stringify(out), {
		status: err.status,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-language': lang,
			...headers
		}
	});
}
