import type { Position } from 'geojson';
import { expect } from 'vitest';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import type { ItemInput } from '../../src/lib/domain/items.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { writeGenerated } from '../../src/lib/server/demo/write-generated.ts';
import { taxonomy } from '../../src/lib/server/items/taxonomy.ts';

/**
 * A hand-built town for the analysis tests: four wijken in a row of 0.01° squares near
 * Utrecht (so EPSG:28992 is valid), one buurt each, and items placed in metres so every
 * expected answer can be worked out by hand.
 *
 *   A 5.10–5.11 (2000 inw.)  B 5.11–5.12 (5000)  C 5.12–5.13 (50: too few)  D 5.13–5.14 (unknown)
 */
export const LAT0 = 52.09;
const M_LAT = 1 / 111_320;
const M_LON = 1 / (111_320 * Math.cos((52.095 * Math.PI) / 180));
/** A point `east` and `north` metres from (lon, lat). */
export const at = (lon: number, lat: number, east = 0, north = 0): Position => [
	lon + east * M_LON,
	lat + north * M_LAT
];

export const POPULATION = { A: 2000, B: 5000, C: 50, D: null } as const;

export async function insertTown(db: Db): Promise<void> {
	await db.query(`INSERT INTO area_level (name, depth) VALUES ('wijk', 0), ('buurt', 1)`);
	const squares = (['A', 'B', 'C', 'D'] as const).map((code, k) => ({
		code,
		pop: POPULATION[code],
		w: 5.1 + k * 0.01
	}));
	for (const s of squares) {
		const poly = JSON.stringify({
			type: 'Polygon',
			coordinates: [
				[
					[s.w, LAT0],
					[s.w + 0.01, LAT0],
					[s.w + 0.01, LAT0 + 0.01],
					[s.w, LAT0 + 0.01],
					[s.w, LAT0]
				]
			]
		});
		await db.query(
			`INSERT INTO area (level, code, name, parent, population, geom)
			 VALUES ('wijk', $1, $2, NULL, $3, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))),
			        ('buurt', $1 || '1', $2 || ' Noord', $1, $3, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)))`,
			[s.code, `Wijk ${s.code}`, s.pop, poly]
		);
	}
}

const DAY = 86_400_000;
const FEB = new Date('2026-02-10T10:00:00Z');
const JAN = new Date('2026-01-10T10:00:00Z');

function melding(
	category: string,
	pos: Position,
	created: Date,
	handledAfterDays?: number
): ItemInput {
	const timeline = [{ at: created, from: null, to: 'gemeld', text: 'Ontvangen.' }];
	if (handledAfterDays !== undefined)
		timeline.push({
			at: new Date(created.getTime() + handledAfterDays * DAY),
			from: 'gemeld' as never,
			to: 'afgehandeld',
			text: 'Opgelost.'
		});
	return {
		layer: 'meldingen',
		title: `Melding ${category}`,
		description: '',
		theme: 'openbare-ruimte',
		status: handledAfterDays === undefined ? 'gemeld' : 'afgehandeld',
		category,
		geometry: { type: 'Point', coordinates: pos },
		createdAt: created,
		timeline
	};
}

function project(
	title: string,
	department: string,
	geometry: ItemInput['geometry'],
	plannedStart: string,
	plannedEnd: string,
	theme = 'openbare-ruimte'
): ItemInput {
	return {
		layer: 'projecten',
		title,
		description: '',
		theme,
		status: 'uitvoering',
		geometry,
		createdAt: new Date('2025-01-01T12:00:00Z'),
		details: { department, plannedStart, plannedEnd }
	};
}

export const CLUSTER_X = at(5.11, 52.095);
export const CLUSTER_Y = at(5.102, 52.092);
export const SITE1 = at(5.104, 52.0955);

/**
 * Meldingen: cluster X straddles the A|B border (5 afval either side, ≤ 84 m apart);
 * cluster Y lies inside A (10 bomen-groen on a 10 m grid); three lone meldingen in B dated
 * in January; one in C; two sensitive woonoverlast in A.
 * Work: site 1 in A (P1 Stadsbeheer line, P2 Mobiliteit 50 m north, initiative I1 60 m
 * north of P2); site 2 in B (same department twice, 40 m apart); site 3 in B (different
 * departments 40 m apart, periods that do not meet); P7 300 m south of P1.
 */
export function townItems(): ItemInput[] {
	const items: ItemInput[] = [];
	for (let k = 0; k < 5; k++) {
		const [lon, lat] = CLUSTER_X;
		items.push(melding('afval', at(lon, lat, -(10 + k * 8), k * 5), FEB));
		// B side: handled after 1, 1, 2, 3 and 10 days: median 2.
		items.push(melding('afval', at(lon, lat, 10 + k * 8, k * 5), FEB, [1, 1, 2, 3, 10][k]));
	}
	for (let k = 0; k < 10; k++) {
		const [lon, lat] = CLUSTER_Y;
		// The first four handled after 2, 4, 6 and 8 days: median 5.
		items.push(
			melding(
				'bomen-groen',
				at(lon, lat, (k % 5) * 10, Math.floor(k / 5) * 10),
				FEB,
				k < 4 ? 2 * (k + 1) : undefined
			)
		);
	}
	for (const [lon, lat] of [
		[5.118, 52.098],
		[5.116, 52.091],
		[5.119, 52.093]
	])
		items.push(melding('bomen-groen', [lon, lat], JAN));
	items.push(melding('afval', [5.125, 52.095], FEB));
	items.push(
		melding('woonoverlast', [5.105, 52.097], FEB),
		melding('woonoverlast', at(5.105, 52.097, 5, 5), FEB)
	);

	const [x, y] = SITE1;
	items.push(
		project(
			'P1 Riolering',
			'Stadsbeheer',
			{ type: 'LineString', coordinates: [at(x, y), at(x, y, 60, 0)] },
			'2026-01-01',
			'2026-06-30'
		)
	);
	items.push(
		project(
			'P2 Fietsstraat',
			'Mobiliteit',
			{ type: 'Point', coordinates: at(x, y, 0, 50) },
			'2026-03-01',
			'2026-12-31',
			'verkeer'
		)
	);
	items.push({
		layer: 'initiatieven',
		title: 'I1 Geveltuinen',
		description: '',
		theme: 'groen-water',
		status: 'in_uitvoering',
		geometry: { type: 'Point', coordinates: at(x, y, 0, 110) },
		createdAt: FEB,
		details: { initiator: 'Buurtvereniging Oost', budgetRequested: 1000, budgetGranted: 800 }
	});
	items.push(
		project(
			'P3 Bankjes',
			'Stadsbeheer',
			{ type: 'Point', coordinates: [5.114, 52.0925] },
			'2026-01-01',
			'2026-12-31'
		)
	);
	items.push(
		project(
			'P4 Prullenbakken',
			'stadsbeheer ',
			{ type: 'Point', coordinates: at(5.114, 52.0925, 40, 0) },
			'2026-02-01',
			'2026-08-31'
		)
	);
	items.push(
		project(
			'P5 Snelheidsremmers',
			'Mobiliteit',
			{ type: 'Point', coordinates: [5.117, 52.0965] },
			'2025-01-01',
			'2025-06-30',
			'verkeer'
		)
	);
	items.push(
		project(
			'P6 Nieuwbouw',
			'Wonen',
			{ type: 'Point', coordinates: at(5.117, 52.0965, 40, 0) },
			'2025-09-01',
			'2026-02-01',
			'wonen-bouwen'
		)
	);
	items.push(
		project(
			'P7 Park',
			'Groen',
			{ type: 'Point', coordinates: at(x, y, 0, -300) },
			'2026-01-01',
			'2026-12-31',
			'groen-water'
		)
	);
	return items;
}

export async function seedTown(db: Db): Promise<number> {
	await insertTown(db);
	return writeGenerated(db, { items: townItems(), links: [] }, taxonomy(), 'analyse-test');
}

export type Handler = (event: never) => Promise<Response> | Response;

/** Calls a route handler as SvelteKit would, on the given store, optionally as signed-in staff. */
export function caller(db: () => Db) {
	async function call(handler: Handler, path: string, user: StaffUser | null = null) {
		const url = new URL(path, 'http://wijkkaart.test');
		const res = await handler({
			url,
			params: {},
			locals: { db: db(), user },
			request: new Request(url)
		} as never);
		return { res, text: await res.text() };
	}
	async function get(handler: Handler, path: string, user: StaffUser | null = null) {
		const { res, text } = await call(handler, path, user);
		expect(res.status, text).toBe(200);
		return JSON.parse(text);
	}
	return { call, get };
}
