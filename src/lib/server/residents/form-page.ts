import { randomUUID } from 'node:crypto';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { config } from '../config.ts';
import { listLevels } from '../areas.ts';
import type { Db } from '../db/types.ts';
import { clientOf } from './http.ts';
import { earlierSubmission, isKeyConflict, isKeyShape } from './idempotency.ts';
import { allow, limits, RATE_MESSAGES } from './rate-limit.ts';
import { fromForm, type Outcome, type Submission } from './submit.ts';
import { municipalityExtent } from '../items/queries.ts';

/** The start of the pin: ?lat&lon when given (from "near me"), else the middle of the municipality. */
export async function formStart(db: Db, params: URLSearchParams) {
	const lat = Number(params.get('lat'));
	const lon = Number(params.get('lon'));
	const given =
		params.get('lat') && params.get('lon') && Number.isFinite(lat) && Number.isFinite(lon);
	const box = await municipalityExtent(db);
	const mid = box && { lon: (box[0] + box[2]) / 2, lat: (box[1] + box[3]) / 2 };
	return {
		start: (given ? [lon, lat] : [mid?.lon ?? 5.12, mid?.lat ?? 52.09]) as [number, number],
		placed: Boolean(given),
		// Sent back with the form: a second post of the same form (double click, retry after a
		// timeout) opens the first one's tracking page instead of making a second item.
		submissionKey: randomUUID(),
		levels: (await listLevels(db)).map((l) => l.name),
		basemap: config().basemap
	};
}

/**
 * Form action body for /melden and /voorstel: rate limit, submit, then the private tracking
 * page (303) or the form again with the Dutch message at each field and what was typed.
 */
export async function submitForm(
	event: RequestEvent,
	submit: (db: Db, s: Submission, client: string) => Promise<Outcome>
) {
	const db = event.locals.db;
	const client = clientOf(event);
	const sub = await fromForm(await event.request.formData());
	// An address typed by the resident wins over a pin left where the page started.
	if (sub.fields.address?.trim() && sub.fields.pinMoved !== '1') {
		delete sub.fields.lat;
		delete sub.fields.lon;
	}
	const values = Object.fromEntries(Object.entries(sub.fields).filter(([k]) => k !== 'website'));
	const key =
		sub.fields.submissionKey && isKeyShape(sub.fields.submissionKey)
			? sub.fields.submissionKey
			: undefined;
	const earlier = key ? await earlierSubmission(db, key) : null;
	if (earlier) redirect(303, `/volg/${earlier.token}?nieuw=1`);
	if (!(await allow(db, client, limits.submit())))
		return fail(429, { errors: { form: RATE_MESSAGES.submit }, values });
	let outcome: Outcome;
	try {
		outcome = await submit(
			db,
			{ ...sub, key, lang: event.locals.lang, baseUrl: event.url.origin },
			client
		);
	} catch (err) {
		const raced = key && isKeyConflict(err) ? await earlierSubmission(db, key) : null;
		if (!raced) throw err;
		outcome = { ok: true, ...raced };
	}
	if (!outcome.ok) return fail(outcome.status, { errors: outcome.errors, values });
	redirect(303, `/volg/${outcome.token}?nieuw=1`);
}
