import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { AppError, ValidationError } from '../../domain/errors.ts';
import type { Lang } from '../../i18n/localize.ts';
import { body } from './json.ts';

/**
 * The one mapping from an AppError to an answer: its own status, field and code decide it, so
 * rewording a message changes nothing but the text. 5xx errors are not answered here: they go
 * to SvelteKit's handleError (logged, generic page).
 */

export function langOf(event: { locals: object }): Lang {
	// Scripts and tests may call a handler without locals: Dutch, as for any request without a choice.
	return (event.locals as { lang?: Lang } | undefined)?.lang === 'en' ? 'en' : 'nl';
}

/** A client's error (4xx) that this module answers; anything else is rethrown by callers. */
export function isAnswerable(err: unknown): err is AppError {
	return err instanceof AppError && err.status < 500;
}

/**
 * The JSON body of an API error. `error` stays the text (as documented in docs/api.md since
 * the first release); `code`, `field` and, for field-by-field refusals, `fields` come beside it.
 */
export function errorBody(err: AppError, lang: Lang): Record<string, unknown> {
	const out: Record<string, unknown> = { error: err.messageIn(lang) };
	if (err.code) out.code = err.code;
	if (err.field) out.field = err.field;
	if (err instanceof ValidationError) out.fields = err.fieldsIn(lang);
	return out;
}

export function errorResponse(err: AppError, lang: Lang): Response {
	const res = body(err.status, errorBody(err, lang));
	res.headers.set('content-language', lang);
	return res;
}

/** What a form action returns for a refused submission: `fail(status, {field, code, message, fields})` plus the caller's own data. */
export interface FailureData {
	field: string;
	code: string | null;
	message: string;
	fields: Record<string, string>;
}

export function actionFailure<T extends Record<string, unknown>>(
	err: AppError,
	lang: Lang,
	extra?: T
): ActionFailure<FailureData & T> {
	const fields =
		err instanceof ValidationError
			? err.fieldsIn(lang)
			: { [err.field ?? '_']: err.messageIn(lang) };
	return fail(err.status, {
		field: err.field ?? '_',
		code: err.code ?? null,
		message: err.messageIn(lang),
		fields,
		...(extra as T)
	});
}

/**
 * One JSON endpoint: runs the handler and answers every AppError it throws with errorResponse,
 * in the request's language. Used by /api/*, the tile endpoints and /api/analyse/*.
 */
export function endpoint<E extends Pick<RequestEvent, 'locals'>>(
	handler: (event: E) => Promise<Response>
): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (err) {
			if (isAnswerable(err)) return errorResponse(err, langOf(event));
			throw err;
		}
	};
}
