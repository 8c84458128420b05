import type { Db } from '../db/types.ts';
import { tooLarge } from '../http/form-body.ts';
import { clientOf } from './http.ts';
import { allow, limits, RATE_MESSAGES } from './rate-limit.ts';
import { readSubmission, submitInitiative, submitMelding, type Outcome } from './submit.ts';

/** POST handler body shared by /api/meldingen and /api/initiatieven (JSON or multipart). */
export async function handleSubmit(
	db: Db,
	event: { request: Request; url: URL; getClientAddress(): string },
	kind: 'melding' | 'initiatief'
): Promise<Response> {
	const client = clientOf(event);
	if (!(await allow(db, client, limits.submit()))) {
		return respond(429, { error: RATE_MESSAGES.submit }, { 'retry-after': '3600' });
	}
	let outcome: Outcome;
	try {
		const sub = await readSubmission(event.request);
		outcome = kind === 'melding' ? await submitMelding(db, sub, client) : await submitInitiative(db, sub, client);
	} catch (err) {
		if (tooLarge(err)) return respond(413, { error: 'Wat u verstuurde is te groot. Een foto mag hoogstens 10 MB zijn.' });
		if (err instanceof TypeError || err instanceof SyntaxError) {
			return respond(400, { error: 'Het formulier kwam niet goed aan. Probeer het opnieuw.' });
		}
		throw err;
	}
	if (!outcome.ok) {
		return respond(outcome.status, { error: Object.values(outcome.errors)[0], errors: outcome.errors });
	}
	// Only the submitter receives the token; it is in no other response.
	return respond(201, {
		id: outcome.itemId,
		trackingNumber: outcome.trackingNumber,
		trackingUrl: `${event.url.origin}/volg/${outcome.token}`
	});
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});
}
