import type { RequestEvent } from '@sveltejs/kit';
import { AppError, msg, ValidationError } from '../../domain/errors.ts';
import type { Lang } from '../../i18n/localize.ts';
import { messageText } from '../../i18n/localize.ts';
import type { Message } from '../../i18n/localize.ts';
import type { StaffUser } from '../../domain/staff.ts';
import { type Conflict, type Saved, type WriteContext } from './edit.ts';
import { body } from '../http/json.ts';

/**
 * The JSON side of staff writes: who writes (the guard in hooks has already decided whether
 * they may), what they sent, and how each outcome maps onto a status code.
 */
export class HttpError extends AppError {
	constructor(status: number, text: string | Message) {
		super(text, { status });
	}
}

export function writeContext(
	event: Pick<RequestEvent, 'locals' | 'getClientAddress'>
): WriteContext {
	const actor = (event.locals as { user?: StaffUser | null }).user;
	if (!actor) throw new HttpError(401, msg('errors.edit.login'));
	let client: string | null = null;
	try {
		client = event.getClientAddress();
	} catch {
		// Not every adapter (or test) knows the client address.
	}
	// The guard answered before this; url is absent only in callers outside a request.
	const baseUrl = (event as { url?: URL }).url?.origin ?? null;
	return { actor, client, baseUrl };
}

export function itemId(raw: string): number {
	if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1)
		throw new HttpError(400, msg('errors.edit.itemId', { raw }));
	return Number(raw);
}

/** The JSON object sent; an empty body counts as {} when `optional`. */
export async function jsonBody(
	request: Request,
	optional = false
): Promise<Record<string, unknown>> {
	let body: unknown;
	try {
		const text = await request.text();
		body = optional && !text.trim() ? {} : JSON.parse(text);
	} catch {
		throw new HttpError(400, msg('errors.edit.bodyJson'));
	}
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw new HttpError(400, msg('errors.edit.bodyObject'));
	return body as Record<string, unknown>;
}

/** `version` as sent: required for edits and status changes, optional for delete/restore. */
export function versionOf(raw: unknown, required: boolean): number | null {
	if (raw === undefined || raw === null || raw === '') {
		if (required)
			throw new ValidationError({
				version: msg('errors.edit.versionMissing')
			});
		return null;
	}
	const n = typeof raw === 'number' ? raw : Number(raw);
	if (!Number.isSafeInteger(n) || n < 1)
		throw new ValidationError({
			version: msg('errors.edit.version', { raw: String(raw) })
		});
	return n;
}

/** 200/201 with the item, or 409 with the stored version and what the caller sent. */
export function savedResponse(lang: Lang, result: Saved | Conflict, created = false): Response {
	if (result.kind === 'conflict') {
		const { stored, yours, yourVersion, updatedBy, updatedAt, message } = result;
		return body(409, {
			error: messageText(lang, message.code, message.params),
			code: message.code,
			conflict: { stored, yours, yourVersion, updatedBy, updatedAt }
		});
	}
	return body(created ? 201 : 200, result.item);
}
