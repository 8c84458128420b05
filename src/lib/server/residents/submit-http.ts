import { publicOrigin } from '../config.ts';
import type { Db } from '../db/types.ts';
import { tooLarge } from '../http/form-body.ts';
import { clientOf } from './http.ts';
import { allow, limits } from './rate-limit.ts';
import { earlierSubmission, isKeyConflict, isKeyShape } from './idempotency.ts';
import {
	MESSAGES,
	readSubmission,
	submitInitiative,
	submitMelding,
	type MessageKey,
	type Submission
} from './submit.ts';

type Kind = 'melding' | 'initiatief';
interface SubmitEvent {
	request: Request;
	url: URL;
	getClientAddress(): string;
	locals?: { lang?: 'nl' | 'en' };
}

/** What became of a submission over HTTP, before it is written as JSON (/api) or as Open311. */
export type Received =
	| { ok: true; status: 200 | 201; itemId: number; trackingNumber: string; token: string }
	| {
			ok: false;
			status: number;
			errors: Record<string, string>;
			codes: Record<string, MessageKey | 'photo'>;
			retryAfter?: string;
	  };

const refused = (
	status: number,
	field: string,
	key: MessageKey,
	retryAfter?: string
): Received => ({
	ok: false,
	status,
	errors: { [field]: MESSAGES[key] },
	codes: { [field]: key },
	...(retryAfter ? { retryAfter } : {})
});

/**
 * The one path of a resident's submission over HTTP (/api/meldingen, /api/initiatieven, Open311):
 * Idempotency-Key, the per-client rate limit, then the same submitMelding/submitInitiative the
 * forms call (validation, moderation, privacy, audit, outbox mail). `read` gives the fields.
 */
export async function receiveSubmission(
	db: Db,
	event: SubmitEvent,
	kind: Kind,
	read: () => Promise<Submission> = () => readSubmission(event.request)
): Promise<Received> {
	const client = clientOf(event);
	const key = event.request.headers.get('idempotency-key')?.trim() || undefined;
	if (key !== undefined && !isKeyShape(key)) return refused(400, 'key', 'key');
	// A retry of a submission that already arrived gets the first answer, and no second item.
	const earlier = key ? await earlierSubmission(db, key) : null;
	if (earlier) return { ok: true, status: 200, ...earlier };
	if (!(await allow(db, client, limits.submit()))) return refused(429, 'form', 'rate', '3600');
	try {
		const sub = { ...(await read()), key, lang: event.locals?.lang, baseUrl: event.url.origin };
		const outcome =
			kind === 'melding'
				? await submitMelding(db, sub, client)
				: await submitInitiative(db, sub, client);
		return outcome.ok ? { ...outcome, status: 201 } : outcome;
	} catch (err) {
		if (tooLarge(err)) return refused(413, 'form', 'tooLarge');
		if (err instanceof TypeError || err instanceof SyntaxError)
			return refused(400, 'form', 'unreadable');
		const raced = key && isKeyConflict(err) ? await earlierSubmission(db, key) : null;
		if (raced) return { ok: true, status: 200, ...raced };
		throw err;
	}
}

/** POST handler body shared by /api/meldingen and /api/initiatieven (JSON or multipart). */
export async function handleSubmit(db: Db, event: SubmitEvent, kind: Kind): Promise<Response> {
	const r = await receiveSubmission(db, event, kind);
	if (!r.ok) {
		// A refusal of the whole request has one text; a validation failure also names each field.
		const whole =
			r.codes.key !== undefined ||
			(['rate', 'tooLarge', 'unreadable'] as const).some((k) => r.codes.form === k);
		const body = whole
			? { error: Object.values(r.errors)[0] }
			: { error: Object.values(r.errors)[0], errors: r.errors };
		return respond(r.status, body, r.retryAfter ? { 'retry-after': r.retryAfter } : {});
	}
	return answer(r.status, event.url, r);
}

/** Only the submitter receives the token (again, with the key); it is in no other response. */
function answer(
	status: 200 | 201,
	url: URL,
	s: { itemId: number; trackingNumber: string; token: string }
): Response {
	return respond(status, {
		id: s.itemId,
		trackingNumber: s.trackingNumber,
		trackingUrl: `${publicOrigin(url)}/volg/${s.token}`,
		...(status === 200 ? { repeated: true } : {})
	});
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'cache-control': 'no-store',
			...headers
		}
	});
}
