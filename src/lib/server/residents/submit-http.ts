import { publicOrigin } from '../config.ts';
import type { Db } from '../db/types.ts';
import { tooLarge } from '../http/form-body.ts';
import { clientOf } from './http.ts';
import { allow, limits, RATE_MESSAGES } from './rate-limit.ts';
import { earlierSubmission, isKeyConflict, isKeyShape, KEY_MESSAGE } from './idempotency.ts';
import { readSubmission, submitInitiative, submitMelding, type Outcome } from './submit.ts';

/** POST handler body shared by /api/meldingen and /api/initiatieven (JSON or multipart). */
export async function handleSubmit(
	db: Db,
	event: { request: Request; url: URL; getClientAddress(): string },
	kind: 'melding' | 'initiatief'
): Promise<Response> {
	const client = clientOf(event);
	const key = event.request.headers.get('idempotency-key')?.trim() || undefined;
	if (key !== undefined && !isKeyShape(key)) return respond(400, { error: KEY_MESSAGE });
	// A retry of a submission that already arrived gets the first answer, and no second item.
	const earlier = key ? await earlierSubmission(db, key) : null;
	if (earlier) return answer(200, event.url, earlier);
	if (!(await allow(db, client, limits.submit()))) {
		return respond(429, { error: RATE_MESSAGES.submit }, { 'retry-after': '3600' });
	}
	let outcome: Outcome;
	try {
		const sub = { ...(await readSubmission(event.request)), key, baseUrl: event.url.origin };
		outcome = kind === 'melding' ? await submitMelding(db, sub, client) : await submitInitiative(db, sub, client);
	} catch (err) {
		if (tooLarge(err)) return respond(413, { error: 'Wat u verstuurde is te groot. Een foto mag hoogstens 10 MB zijn.' });
		if (err instanceof TypeError || err instanceof SyntaxError) {
			return respond(400, { error: 'Het formulier kwam niet goed aan. Probeer het opnieuw.' });
		}
		const raced = key && isKeyConflict(err) ? await earlierSubmission(db, key) : null;
		if (raced) return answer(200, event.url, raced);
		throw err;
	}
	if (!outcome.ok) {
		return respond(outcome.status, { error: Object.values(outcome.errors)[0], errors: outcome.errors });
	}
	return answer(201, event.url, outcome);
}

/** Only the submitter receives the token (again, with the key); it is in no other response. */
function answer(status: 200 | 201, url: URL, s: { itemId: number; trackingNumber: string; token: string }): Response {
	return respond(status, { id: s.itemId, trackingNumber: s.trackingNumber, trackingUrl: `${publicOrigin(url)}/volg/${s.token}`, ...(status === 200 ? { repeated: true } : {}) });
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});
}
