import { z } from 'zod';
import { normaliseText } from '../../domain/address.ts';
import { STATUSES } from '../../domain/layers.ts';
import {
	DUPLICATE_DISTANCE,
	likelyDuplicates,
	radiusBox,
	type DuplicateCandidate
} from '../../domain/nearby.ts';
import { categoryById, findTheme, type Taxonomy } from '../../domain/themes.ts';
import { parseMoney } from '../../domain/items.ts';
import { looksLikeRd, rdToWgs84 } from '../../geo/rd.ts';
import { recordAudit } from '../audit.ts';
import type { Db, Sql } from '../db/types.ts';
import { syncTaxonomy, taxonomy } from '../items/taxonomy.ts';
import { insertItems } from '../items/write.ts';
import { searchAddresses } from './addresses.ts';
import { cleanPhoto, MAX_PHOTO_BYTES, PhotoError, type CleanPhoto } from './photo.ts';
import { createTracking } from './tracking.ts';
import { queueConfirmation } from '../mail/queue.ts';
import { rememberKey } from './idempotency.ts';
import { tooLarge } from '../http/form-body.ts';
import nl from '../../i18n/submission.nl.json' with { type: 'json' };
import en from '../../i18n/submission.en.json' with { type: 'json' };
import { areasAt } from '../items/queries.ts';

/** What a resident sent: form fields as text, and the photo's bytes if any. */
export interface Submission {
	fields: Record<string, string>;
	photo: Uint8Array | null;
	/** The client's Idempotency-Key: stored with the item in the same transaction. */
	key?: string;
	/** Language and origin of the request: the e-mails to the submitter follow them. */
	lang?: 'nl' | 'en';
	baseUrl?: string | null;
}

export type Outcome =
	| { ok: true; itemId: number; trackingNumber: string; token: string }
	| {
			ok: false;
			status: number;
			errors: Record<string, string>;
			codes: Record<string, MessageKey | 'photo'>;
	  };

/** Field errors residents see, in Dutch (English beside it); the README lists each with what triggers it. */
export const MESSAGES = nl.submission;
export type MessageKey = keyof typeof MESSAGES;
/** The keys by name, so a schema or check names its message without spelling a string. */
const K = Object.fromEntries(Object.keys(MESSAGES).map((k) => [k, k])) as { [k in MessageKey]: k };

/** A submission message in the request's language, by key (Dutch first). */
export function submissionText(lang: 'nl' | 'en', key: MessageKey): string {
	return (lang === 'en' ? en : nl).submission[key];
}

// Zod carries the message key; issues() turns it into text. A field left out altogether gets
// the same message as an empty one, not zod's English.
const text = (max: number, tooLong: MessageKey, empty?: MessageKey) => {
	const base = z
		.string({ error: empty ?? tooLong })
		.trim()
		.max(max, tooLong);
	return empty ? base.min(1, empty) : base;
};

const meldingSchema = z.object({
	category: z.string({ error: K.category }).trim().min(1, K.category),
	description: text(5000, K.descriptionLong, K.description),
	email: z.union([z.literal(''), z.email(K.email).max(200, K.email)]).default('')
});

const initiativeSchema = z.object({
	title: text(200, K.titleLong, K.title),
	description: text(5000, K.descriptionLong, K.description),
	theme: z.string({ error: K.theme }).trim().min(1, K.theme),
	// Dutch notation as residents type it ("1.500", "€ 1.500,50"): the same reading as staff forms.
	budget: z
		.string()
		.trim()
		.refine(
			(t) =>
				t === '' || (Number.isFinite(parseMoney(t)) && parseMoney(t) >= 0 && parseMoney(t) < 1e9),
			K.budget
		)
		.default(''),
	group: text(200, K.group, K.group),
	support: text(2000, K.descriptionLong).default(''),
	email: z.union([z.literal(''), z.email(K.email).max(200, K.email)]).default('')
});

/** What is wrong, per field: a message key, or 'photo' (the photo reader's own text). */
type Found = Record<string, MessageKey | 'photo'>;

function issues(error: z.ZodError): Found {
	const out: Found = {};
	for (const i of error.issues) {
		const key = String(i.path[0] ?? 'form');
		out[key] ??= (i.message in MESSAGES ? i.message : 'unreadable') as MessageKey;
	}
	return out;
}

/** The refusal: Dutch text per field for the forms, and the keys for other languages and protocols. */
function refusal(status: number, found: Found, photoText: string | null): Outcome {
	const errors: Record<string, string> = {};
	for (const [field, key] of Object.entries(found))
		errors[field] = key === 'photo' ? (photoText ?? '') : MESSAGES[key];
	return { ok: false, status, errors, codes: found };
}

/**
 * Where the resident means: lat/lon (WGS84), x/y (RD New, as from a municipal system), or an
 * address from the index. Returns [lon, lat] or an error for the location field.
 */
export async function resolveLocation(
	db: Sql,
	f: Record<string, string>
): Promise<{ point: [number, number] } | { field: string; message: MessageKey }> {
	const num = (k: string) => (f[k]?.trim() ? Number(f[k].trim().replace(',', '.')) : null);
	const [lat, lon, x, y] = [num('lat'), num('lon'), num('x'), num('y')];
	if (lat !== null || lon !== null) {
		if (
			lat === null ||
			lon === null ||
			!Number.isFinite(lat) ||
			!Number.isFinite(lon) ||
			Math.abs(lat) > 90 ||
			Math.abs(lon) > 180
		) {
			return { field: 'location', message: K.coordinates };
		}
		return { point: [lon, lat] };
	}
	if (x !== null || y !== null) {
		if (x === null || y === null || !looksLikeRd([x, y]))
			return { field: 'location', message: K.coordinates };
		const [plon, plat] = rdToWgs84([x, y]);
		return { point: [plon, plat] };
	}
	const address = f.address?.trim();
	if (address) {
		const [hit] = await searchAddresses(db, address, 1);
		if (
			!hit ||
			(hit.kind === 'gebied' && normaliseText(hit.label).indexOf(normaliseText(address)) < 0)
		) {
			return { field: 'address', message: K.address };
		}
		return { point: [hit.lon, hit.lat] };
	}
	return { field: 'location', message: K.location };
}

async function insideMunicipality(db: Sql, point: [number, number]): Promise<boolean> {
	return (await areasAt(db, point)).length > 0;
}

async function commonChecks(
	db: Sql,
	s: Submission,
	errors: Found
): Promise<{ point: [number, number] | null; photo: CleanPhoto | null; photoText: string | null }> {
	if (s.fields.website?.trim()) errors.form = K.honeypot;
	let point: [number, number] | null = null;
	const loc = await resolveLocation(db, s.fields);
	if ('point' in loc) {
		if (await insideMunicipality(db, loc.point)) point = loc.point;
		else errors.location = K.outside;
	} else errors[loc.field] = loc.message;
	let photo: CleanPhoto | null = null;
	let photoText: string | null = null;
	if (s.photo && s.photo.length > 0) {
		try {
			photo = await cleanPhoto(s.photo);
		} catch (err) {
			if (!(err instanceof PhotoError)) throw err;
			errors.photo = 'photo';
			photoText = err.message;
		}
	}
	return { point, photo, photoText };
}

function statusOf(errors: Found, s: Submission): number {
	return errors.photo && s.photo && s.photo.length > MAX_PHOTO_BYTES ? 413 : 400;
}

/** A melding from a resident: validated whole, then written in one transaction with its audit entry. */
export async function submitMelding(
	db: Db,
	s: Submission,
	client: string | null,
	tax: Taxonomy = taxonomy()
): Promise<Outcome> {
	const errors: Found = {};
	const parsed = meldingSchema.safeParse(s.fields);
	if (!parsed.success) Object.assign(errors, issues(parsed.error));
	const category = parsed.success ? categoryById(tax, parsed.data.category) : undefined;
	if (parsed.success && !category) errors.category = K.category;
	const { point, photo, photoText } = await commonChecks(db, s, errors);
	if (Object.keys(errors).length || !parsed.success || !category || !point)
		return refusal(statusOf(errors, s), errors, photoText);
	const data = parsed.data;
	return db.transaction(async (tx) => {
		await syncTaxonomy(tx, tax);
		const now = new Date();
		const res = await insertItems(
			tx,
			[
				{
					layer: 'meldingen',
					title: category.nl,
					description: data.description,
					theme: category.theme,
					status: 'gemeld',
					category: category.id,
					geometry: { type: 'Point', coordinates: point },
					createdAt: now,
					timeline: [{ at: now, from: null, to: 'gemeld', text: 'Melding ontvangen.' }],
					contact: data.email ? { email: data.email } : null
				}
			],
			{ source: 'bewoner' }
		);
		return finish(
			tx,
			res.ids[0],
			'meldingen',
			photo,
			client,
			{ category: category.id, photo: Boolean(photo) },
			s
		);
	});
}

/** An initiative proposal: status idee, unpublished, waiting for moderation. */
export async function submitInitiative(
	db: Db,
	s: Submission,
	client: string | null,
	tax: Taxonomy = taxonomy()
): Promise<Outcome> {
	const errors: Found = {};
	const parsed = initiativeSchema.safeParse(s.fields);
	if (!parsed.success) Object.assign(errors, issues(parsed.error));
	const theme = parsed.success ? findTheme(tax, parsed.data.theme) : undefined;
	if (parsed.success && !theme) errors.theme = K.theme;
	// An area stands for "somewhere in this buurt": its representative point.
	const fields = { ...s.fields };
	if (
		fields.area?.trim() &&
		!fields.lat &&
		!fields.lon &&
		!fields.x &&
		!fields.y &&
		!fields.address?.trim()
	) {
		const [a] = await db.query<{ lon: number; lat: number }>(
			`SELECT ST_X(ST_PointOnSurface(geom))::float8 AS lon, ST_Y(ST_PointOnSurface(geom))::float8 AS lat FROM area WHERE code = $1 LIMIT 1`,
			[fields.area.trim()]
		);
		if (a) Object.assign(fields, { lat: String(a.lat), lon: String(a.lon) });
		else errors.area = K.area;
	}
	const { point } = await commonChecks(db, { fields, photo: null }, errors);
	if (errors.area) delete errors.location;
	if (Object.keys(errors).length || !parsed.success || !theme || !point)
		return refusal(400, errors, null);
	const data = parsed.data;
	return db.transaction(async (tx) => {
		await syncTaxonomy(tx, tax);
		const now = new Date();
		const details: Record<string, unknown> = { initiator: data.group };
		if (data.support) details.support = data.support;
		if (data.budget) details.budgetRequested = Math.round(parseMoney(data.budget) * 100) / 100;
		const res = await insertItems(
			tx,
			[
				{
					layer: 'initiatieven',
					title: data.title,
					description: data.description,
					theme: theme.id,
					status: 'idee',
					geometry: { type: 'Point', coordinates: point },
					createdAt: now,
					details,
					timeline: [{ at: now, from: null, to: 'idee', text: 'Voorstel ontvangen.' }],
					contact: data.email ? { email: data.email, name: data.group } : { name: data.group }
				}
			],
			{ source: 'bewoner' }
		);
		return finish(tx, res.ids[0], 'initiatieven', null, client, { theme: theme.id }, s);
	});
}

async function finish(
	tx: Sql,
	id: number | null,
	layer: 'meldingen' | 'initiatieven',
	photo: CleanPhoto | null,
	client: string | null,
	after: Record<string, unknown>,
	s: Submission
): Promise<Outcome> {
	const key = s.key;
	// The area check above passed, so the writer keeps the item; anything else is a bug.
	if (id === null) throw new Error('inzending viel buiten de gebieden');
	await tx.query(`UPDATE item SET published = false, moderation = 'te_beoordelen' WHERE id = $1`, [
		id
	]);
	if (photo) {
		await tx.query(
			`INSERT INTO item_photo (item_id, mime, bytes, width, height) VALUES ($1, $2, $3, $4, $5)`,
			[id, photo.mime, photo.bytes, photo.width, photo.height]
		);
	}
	const { token, trackingNumber } = await createTracking(tx, id, layer);
	if (key) await rememberKey(tx, key, id, token);
	await tx.query(`UPDATE melding_contact SET lang = $2 WHERE item_id = $1`, [
		id,
		s.lang === 'en' ? 'en' : 'nl'
	]);
	await queueConfirmation(tx, id, { baseUrl: s.baseUrl });
	// The audit entry says what was sent, never who sent it: no contact data, no token.
	await recordAudit(tx, {
		actor: { kind: 'resident' },
		action: 'submit',
		entity: 'item',
		entityId: id,
		after: { layer, ...after, trackingNumber },
		client
	});
	return { ok: true, itemId: id, trackingNumber, token };
}

const OPEN = STATUSES.meldingen.filter((s) => s.open).map((s) => s.id);

/** Public open meldingen of this category within 50 m: "Is het dit? Volg deze melding". */
export async function findDuplicates(db: Sql, point: [number, number], category: string) {
	const [a, b, c, d] = radiusBox(point, DUPLICATE_DISTANCE);
	const rows = await db.query<{
		id: number;
		title: string;
		status: string;
		category: string | null;
		distance: number;
		created_at: Date;
	}>(
		`SELECT i.id, i.title, i.status, i.category, i.created_at,
		        ST_Distance(i.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography)::float8 AS distance
		 FROM public_item i
		 WHERE i.layer = 'meldingen' AND i.category = $3
		   AND i.geom && ST_MakeEnvelope($4, $5, $6, $7, 4326)`,
		[point[0], point[1], category, a, b, c, d]
	);
	const candidates: (DuplicateCandidate & { title: string; status: string; createdAt: string })[] =
		rows.map((r) => ({
			id: r.id,
			title: r.title,
			status: r.status,
			category: r.category,
			open: OPEN.includes(r.status),
			distance: Math.round(r.distance),
			createdAt: r.created_at.toISOString()
		}));
	return likelyDuplicates(category, candidates).map(({ open: _o, category: _c, ...rest }) => rest);
}

/** Reads a submission from a multipart form or a JSON body; the photo comes as a file field. */
export async function readSubmission(request: Request): Promise<Submission> {
	const type = request.headers.get('content-type') ?? '';
	if (type.includes('application/json')) {
		// Unreadable JSON counts as no fields (each then gets its message); a body over the size limit does not.
		const body = (await request.json().catch((err) => {
			if (tooLarge(err)) throw err;
			return null;
		})) as Record<string, unknown> | null;
		const fields: Record<string, string> = {};
		for (const [k, v] of Object.entries(body ?? {}))
			if (v !== null && v !== undefined && typeof v !== 'object') fields[k] = String(v);
		return { fields, photo: null };
	}
	const form = await request.formData();
	return fromForm(form);
}

export async function fromForm(form: FormData): Promise<Submission> {
	const fields: Record<string, string> = {};
	let photo: Uint8Array | null = null;
	for (const [k, v] of form.entries()) {
		if (typeof v === 'string') fields[k] = v;
		else if (k === 'photo' && v.size > 0) photo = new Uint8Array(await v.arrayBuffer());
	}
	return { fields, photo };
}
