import { CSV_DEFAULT } from '../../domain/csv.ts';
import { ParamError, parseDate } from '../../domain/filters.ts';
import { STATUSES } from '../../domain/layers.ts';
import type { Taxonomy } from '../../domain/themes.ts';
import type { Sql } from '../db/types.ts';
import { placeholders } from '../db/params.ts';
import { withinCircle } from '../residents/scope.ts';
import { itemWhere } from '../items/read.ts';
import { Open311Error, type Lang } from './http.ts';

/** GeoReport v2 `request`, as GET requests and requests/{id} give it. */
export interface ServiceRequest {
	service_request_id: string;
	status: 'open' | 'closed';
	status_notes: string | null;
	service_name: string | null;
	service_code: string | null;
	description: string;
	agency_responsible: string | null;
	service_notice: string | null;
	requested_datetime: string;
	updated_datetime: string;
	expected_datetime: string | null;
	address: string | null;
	address_id: string | null;
	zipcode: string | null;
	lat: number;
	long: number;
	media_url: string | null;
}

export interface RequestFilter {
	ids: number[] | null;
	serviceCodes: string[];
	statuses: ('open' | 'closed')[];
	from: Date;
	to: Date | null;
	near: { lat: number; lon: number; radius: number } | null;
}

/** At most this many requests per answer (the spec lets an implementation cap it); X-Total-Count says how many matched. */
export const MAX_REQUESTS = 1000;
/** Without start_date or end_date, the spec's default window: the last 90 days. */
const DEFAULT_DAYS = 90;
const DAY = 86_400_000;
const OPEN_IDS = STATUSES.meldingen.filter((s) => s.open).map((s) => s.id);
const CLOSED_IDS = STATUSES.meldingen.filter((s) => !s.open).map((s) => s.id);

const list = (raw: string | null) =>
	(raw ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);

function date(params: URLSearchParams, name: 'start_date' | 'end_date'): Date | null {
	const raw = params.get(name);
	try {
		return parseDate(raw?.trim() || null, name, name === 'end_date');
	} catch (err) {
		if (err instanceof ParamError)
			throw new Open311Error(400, 'badDate', { name, value: raw ?? '' });
		throw err;
	}
}

/**
 * The standard filters of GET requests: service_request_id (a comma list, which overrides the
 * others), service_code, start_date, end_date, status (open/closed); and lat/long/radius as
 * FixMyStreet and other servers offer. Unknown parameters (jurisdiction_id, api_key,
 * extensions) are ignored, as clients send them everywhere.
 */
export function parseRequestFilter(
	params: URLSearchParams,
	tax: Taxonomy,
	now = new Date()
): RequestFilter {
	const rawIds = params.get('service_request_id');
	if (rawIds !== null && rawIds.trim() !== '') {
		const ids = list(rawIds);
		if (ids.length === 0 || ids.length > MAX_REQUESTS || ids.some((id) => !/^\d{1,15}$/.test(id)))
			throw new Open311Error(400, 'badId', { value: rawIds });
		return {
			ids: ids.map(Number),
			serviceCodes: [],
			statuses: [],
			from: new Date(0),
			to: null,
			near: null
		};
	}
	const serviceCodes = list(params.get('service_code'));
	for (const code of serviceCodes)
		if (!tax.categories.some((c) => c.id === code))
			throw new Open311Error(400, 'unknownService', { code });
	const statuses = list(params.get('status')?.toLowerCase() ?? null) as ('open' | 'closed')[];
	for (const s of statuses)
		if (s !== 'open' && s !== 'closed')
			throw new Open311Error(400, 'badStatus', { value: params.get('status') ?? '' });
	const start = date(params, 'start_date');
	const end = date(params, 'end_date');
	if (start && end && start > end) throw new Open311Error(400, 'badRange');
	const from = start ?? new Date((end ?? now).getTime() - DEFAULT_DAYS * DAY);
	let near: RequestFilter['near'] = null;
	const [lat, long] = [params.get('lat'), params.get('long')];
	if (lat !== null || long !== null) {
		const [la, lo] = [Number(lat), Number(long)];
		if (
			!lat?.trim() ||
			!long?.trim() ||
			!Number.isFinite(la) ||
			!Number.isFinite(lo) ||
			Math.abs(la) > 90 ||
			Math.abs(lo) > 180
		)
			throw new Open311Error(400, 'badPoint');
		const rawRadius = params.get('radius');
		const radius = rawRadius === null ? 1000 : Number(rawRadius);
		if (!Number.isFinite(radius) || radius < 1 || radius > 5000)
			throw new Open311Error(400, 'badRadius', { value: rawRadius ?? '' });
		near = { lat: la, lon: lo, radius };
	}
	return { ids: null, serviceCodes, statuses, from, to: end, near };
}

interface Row {
	id: number;
	status: string;
	category: string | null;
	description: string;
	created_at: Date;
	updated_at: Date;
	due_at: Date | null;
	lon: number;
	lat: number;
	status_notes: string | null;
	photo_id: number | null;
	total: number;
}

/**
 * Public meldingen as GeoReport v2 requests, newest first. The selection is itemWhere's public
 * rule, the same as /api/items and /ogc: never unpublished (awaiting moderation), deleted or
 * sensitive meldingen, and never a column of melding_contact.
 */
export async function listRequests(
	db: Sql,
	f: RequestFilter,
	tax: Taxonomy,
	lang: Lang,
	origin: string
): Promise<{ requests: ServiceRequest[]; total: number }> {
	const statuses =
		f.statuses.length === 1 ? (f.statuses[0] === 'open' ? OPEN_IDS : CLOSED_IDS) : [];
	const { from, where, params } = await itemWhere(db, {
		layers: ['meldingen'],
		themes: [],
		statuses,
		area: null,
		bbox: null,
		bboxSrid: 4326,
		from: f.ids ? null : f.from,
		to: f.to,
		q: null,
		limit: MAX_REQUESTS,
		after: null,
		count: false,
		format: 'geojson',
		all: false,
		dialect: CSV_DEFAULT
	});
	const p = placeholders(params);
	const and = [where];
	if (f.ids) and.push(`i.id = ANY(${p(f.ids)}::bigint[])`);
	if (f.serviceCodes.length) and.push(`i.category = ANY(${p(f.serviceCodes)}::text[])`);
	if (f.near) and.push(withinCircle([f.near.lon, f.near.lat], f.near.radius, p));
	const rows = await db.query<Row>(
		`SELECT i.id, i.status, i.category, i.description, i.created_at, i.updated_at, i.due_at,
		        ST_X(ST_PointOnSurface(i.geom)) AS lon, ST_Y(ST_PointOnSurface(i.geom)) AS lat,
		        (SELECT u.public_text FROM item_update u WHERE u.item_id = i.id ORDER BY u.at DESC, u.id DESC LIMIT 1) AS status_notes,
		        (SELECT min(ph.id) FROM item_photo ph WHERE ph.item_id = i.id AND ph.public) AS photo_id,
		        count(*) OVER () AS total
		 FROM ${from} WHERE ${and.join(' AND ')}
		 ORDER BY i.created_at DESC, i.id DESC LIMIT ${MAX_REQUESTS}`,
		params
	);
	const iso = (v: Date | null) => (v === null ? null : v.toISOString());
	const requests = rows.map((r): ServiceRequest => {
		const category = tax.categories.find((c) => c.id === r.category);
		return {
			service_request_id: String(r.id),
			status: OPEN_IDS.includes(r.status) ? 'open' : 'closed',
			status_notes: r.status_notes,
			service_name: category?.[lang] ?? r.category,
			service_code: r.category,
			description: r.description,
			agency_responsible: null,
			service_notice: null,
			requested_datetime: iso(r.created_at)!,
			updated_datetime: iso(r.updated_at)!,
			expected_datetime: iso(r.due_at),
			address: null,
			address_id: null,
			zipcode: null,
			lat: Math.round(r.lat * 1e7) / 1e7,
			long: Math.round(r.lon * 1e7) / 1e7,
			media_url: r.photo_id === null ? null : `${origin}/foto/${r.photo_id}`
		};
	});
	return { requests, total: rows[0]?.total ?? 0 };
}
