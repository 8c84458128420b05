import {
	normalisePostcode,
	normaliseText,
	parseAddressQuery,
	rankNames,
	scoreName
} from '../../domain/address.ts';
import type { Sql } from '../db/types.ts';

/** One hit of the search box: a place to centre "near me" on. */
export interface AddressHit {
	kind: 'adres' | 'straat' | 'postcode' | 'gebied';
	label: string;
	lon: number;
	lat: number;
	street?: string;
	houseNumber?: string | null;
	postcode?: string | null;
	woonplaats?: string | null;
	/** For kind 'gebied'. */
	level?: string;
	code?: string;
	source: 'lokaal' | 'pdok';
}

const LIMIT = 10;

/**
 * Searches the local address index (and area names): postcode with or without number, street
 * with or without number, "oudegr" → Oudegracht by prefix and trigram match.
 */
export async function searchAddresses(db: Sql, raw: string, limit = LIMIT): Promise<AddressHit[]> {
	const q = parseAddressQuery(raw);
	const hits: AddressHit[] = [];
	if (q.postcode) hits.push(...(await byPostcode(db, q.postcode, q.houseNumber)));
	const ranked: { h: AddressHit; s: number }[] = [];
	if (q.text.length >= 2) {
		const streets = await streetCandidates(db, q.text);
		for (const s of rankNames(q.text, streets).slice(0, limit)) {
			const exact = q.houseNumber
				? await numberOnStreet(db, s.street, s.woonplaats, q.houseNumber)
				: null;
			ranked.push({
				s: exact ? 10 : scoreName(q.text, s),
				h: exact ?? {
					kind: 'straat',
					label: s.woonplaats ? `${s.street}, ${s.woonplaats}` : s.street,
					street: s.street,
					woonplaats: s.woonplaats,
					lon: s.lon,
					lat: s.lat,
					source: 'lokaal'
				}
			});
		}
		const areas = await areaCandidates(db, q.text);
		for (const a of rankNames(q.text, areas).slice(0, limit)) {
			ranked.push({
				s: scoreName(q.text, a),
				h: {
					kind: 'gebied',
					label: `${a.name} (${a.level})`,
					level: a.level,
					code: a.code,
					lon: a.lon,
					lat: a.lat,
					source: 'lokaal'
				}
			});
		}
	}
	// Exact addresses first, then streets and areas by how well they match.
	ranked.sort((a, b) => b.s - a.s);
	return [...hits, ...ranked.map((r) => r.h)].slice(0, limit);
}

interface StreetRow {
	street: string;
	norm: string;
	woonplaats: string | null;
	similarity: number;
	lon: number;
	lat: number;
}

async function streetCandidates(db: Sql, text: string): Promise<StreetRow[]> {
	const compact = text.replace(/ /g, '');
	return db.query<StreetRow>(
		`SELECT street, street_norm AS norm, woonplaats, similarity(street_norm, $1)::float8 AS similarity,
		        ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
		 FROM (
		   SELECT street, street_norm, woonplaats,
		          ST_ClosestPoint(ST_Collect(geom), ST_Centroid(ST_Collect(geom))) AS p
		   FROM address
		   WHERE street_norm LIKE $2 OR street_norm LIKE $3 OR replace(street_norm, ' ', '') LIKE $4
		      OR street_norm % $1 OR $1 <% street_norm
		   GROUP BY street, street_norm, woonplaats
		 ) s
		 ORDER BY similarity DESC LIMIT 200`,
		[text, `${text}%`, `% ${text}%`, `${compact}%`]
	);
}

async function numberOnStreet(
	db: Sql,
	street: string,
	woonplaats: string | null,
	number: string
): Promise<AddressHit | null> {
	const [r] = await db.query<AddrRow>(
		`SELECT ${ADDR_COLUMNS} FROM address
		 WHERE street = $1 AND woonplaats IS NOT DISTINCT FROM $2 AND lower(house_number) = $3 LIMIT 1`,
		[street, woonplaats, number]
	);
	return r ? addressHit(r) : null;
}

async function byPostcode(db: Sql, postcode: string, number: string | null): Promise<AddressHit[]> {
	const rows = await db.query<AddrRow>(
		`SELECT ${ADDR_COLUMNS} FROM address
		 WHERE postcode = $1 AND ($2::text IS NULL OR lower(house_number) = $2)
		 ORDER BY nullif(regexp_replace(house_number, '\\D.*$', ''), '')::int NULLS LAST, house_number LIMIT $3`,
		[postcode, number, LIMIT]
	);
	if (rows.length === 0 || number) return rows.map(addressHit);
	// A postcode alone: one hit in the middle of it, not every house.
	const first = addressHit(rows[Math.floor(rows.length / 2)]);
	return [
		{
			...first,
			kind: 'postcode',
			label: `${postcode}${first.street ? ` (${first.street})` : ''}`,
			houseNumber: null
		}
	];
}

export const ADDR_COLUMNS = `street, house_number, postcode, woonplaats, ST_X(geom)::float8 AS lon, ST_Y(geom)::float8 AS lat`;
export interface AddrRow {
	street: string;
	house_number: string | null;
	postcode: string | null;
	woonplaats: string | null;
	lon: number;
	lat: number;
}

export function addressHit(r: AddrRow): AddressHit {
	const line = [r.street, r.house_number].filter(Boolean).join(' ');
	const place = [
		r.postcode ? `${r.postcode.slice(0, 4)} ${r.postcode.slice(4)}` : null,
		r.woonplaats
	]
		.filter(Boolean)
		.join(' ');
	return {
		kind: 'adres',
		label: place ? `${line}, ${place}` : line,
		street: r.street,
		houseNumber: r.house_number,
		postcode: r.postcode,
		woonplaats: r.woonplaats,
		lon: r.lon,
		lat: r.lat,
		source: 'lokaal'
	};
}

async function areaCandidates(db: Sql, text: string) {
	const rows = await db.query<{
		level: string;
		code: string;
		name: string;
		similarity: number;
		lon: number;
		lat: number;
	}>(
		`SELECT level, code, name, similarity(lower(name), $1)::float8 AS similarity,
		        ST_X(ST_PointOnSurface(geom))::float8 AS lon, ST_Y(ST_PointOnSurface(geom))::float8 AS lat
		 FROM area WHERE lower(name) LIKE $2 OR lower(name) LIKE $3 OR lower(name) % $1 OR $1 <% lower(name)
		 LIMIT 100`,
		[text, `${text}%`, `% ${text}%`]
	);
	return rows.map((r) => ({ ...r, norm: normaliseText(r.name) }));
}

export interface AddressRecord {
	street: string;
	houseNumber: string | null;
	postcode: string | null;
	woonplaats: string | null;
	lon: number;
	lat: number;
}

/** Validates one record to be indexed; throws a Dutch message. */
export function checkAddress(a: {
	street?: string | null;
	houseNumber?: string | null;
	postcode?: string | null;
}): void {
	if (!a.street?.trim()) throw new Error('straatnaam ontbreekt');
	if (a.postcode && !normalisePostcode(a.postcode))
		throw new Error(`postcode "${a.postcode}" is geen Nederlandse postcode (1234 AB)`);
}

/** Writes address records in batches; run inside the import transaction. */
export async function insertAddresses(
	tx: Sql,
	rows: AddressRecord[],
	source: string
): Promise<number> {
	const BATCH = 5000;
	for (let i = 0; i < rows.length; i += BATCH) {
		const b = rows.slice(i, i + BATCH);
		await tx.query(
			`INSERT INTO address (street, street_norm, house_number, postcode, woonplaats, geom, source)
			 SELECT s, n, h, p, w, ST_SetSRID(ST_MakePoint(x, y), 4326), $8
			 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[]) AS u(s, n, h, p, w, x, y)`,
			[
				b.map((r) => r.street.trim()),
				b.map((r) => normaliseText(r.street)),
				b.map((r) => r.houseNumber?.trim() || null),
				b.map((r) => normalisePostcode(r.postcode)),
				b.map((r) => r.woonplaats?.trim() || null),
				b.map((r) => r.lon),
				b.map((r) => r.lat),
				source
			]
		);
	}
	return rows.length;
}
