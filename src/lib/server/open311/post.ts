import type { RequestEvent } from '@sveltejs/kit';
import { publicOrigin } from '../config.ts';
import { receiveSubmission } from '../residents/submit-http.ts';
import { fromForm, submissionText, type Submission } from '../residents/submit.ts';
import { document, errors, Open311Error, text, type Open311Context } from './http.ts';

/** GeoReport v2 arguments and the melding form's fields they fill; every other argument is not kept. */
const FIELDS: Record<string, string> = {
	service_code: 'category',
	description: 'description',
	lat: 'lat',
	long: 'lon',
	address_string: 'address',
	email: 'email'
};
/** Which argument a field's error is about, for the error's description. */
const ARGUMENT: Record<string, string> = {
	category: 'service_code',
	location: 'lat/long',
	address: 'address_string',
	description: 'description',
	email: 'email',
	photo: 'media',
	key: 'Idempotency-Key'
};
const FORM_TYPE = /^(?:application\/x-www-form-urlencoded|multipart\/form-data\s*;\s*boundary=)/i;

/**
 * POST requests: a melding through the same path as /melden and /api/meldingen
 * (receiveSubmission: idempotency key, rate limit, validation, moderation, audit, outbox mail).
 * first_name, last_name, phone, device_id, account_id, media_url and attributes are not kept:
 * the form asks for no more than an e-mail address, and no remote URL is fetched.
 */
export async function postRequest(event: RequestEvent, ctx: Open311Context): Promise<Response> {
	if (!FORM_TYPE.test(event.request.headers.get('content-type') ?? ''))
		throw new Open311Error(415, 'bodyType');
	const read = async (): Promise<Submission> => {
		const sent = await fromForm(await event.request.formData());
		const fields: Record<string, string> = {};
		for (const [arg, field] of Object.entries(FIELDS))
			if (sent.fields[arg] !== undefined) fields[field] = sent.fields[arg];
		return { fields, photo: null };
	};
	const r = await receiveSubmission(ctx.db, event, 'melding', read);
	if (!r.ok) {
		const list = Object.entries(r.codes).map(([field, key]) => {
			const description = key === 'photo' ? r.errors[field] : submissionText(ctx.lang, key);
			return {
				code: r.status,
				description: ARGUMENT[field] ? `${ARGUMENT[field]}: ${description}` : description
			};
		});
		return errors(
			ctx.format,
			r.status,
			list,
			ctx.lang,
			r.retryAfter ? { 'retry-after': r.retryAfter } : {}
		);
	}
	const answer = [
		{
			service_request_id: String(r.itemId),
			service_notice: text(ctx.lang, 'notice', { number: r.trackingNumber }),
			account_id: null,
			// The submitter's private tracking page, as /melden and /api/meldingen give it; in no other answer.
			tracking_url: `${publicOrigin(ctx.url)}/volg/${r.token}`
		}
	];
	return document(
		ctx.format,
		answer,
		{ root: 'service_requests', element: 'request' },
		{ status: r.status, lang: ctx.lang, headers: { 'cache-control': 'no-store' } }
	);
}
