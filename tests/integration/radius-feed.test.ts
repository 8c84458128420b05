import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import distance from '@turf/distance';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { changeStatus } from '../../src/lib/server/items/edit.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import {
	feedEntries,
	parseFeedCursor,
	type FeedEntry
} from '../../src/lib/server/residents/feeds.ts';
import { GET as nearGET } from '../../src/routes/api/nabij/+server.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/**
 * The point feed and /api/nabij pick the items within a radius through an index (a box before
 * the exact spheroid distance). What they pick is compared with turf's great-circle distance
 * over the same items. turf measures on a sphere and PostGIS on the spheroid (up to ~0.3 %
 * apart), so no item is placed within 0.6 % of a radius; everything else must agree exactly,
 * also at the box's corners, which lie outside the circle.
 */
describe(`radius feed and near-me on ${storeName} against turf distance`, () => {
	let store: TestStore;
	const centre: [number, number] = [5.1214, 52.0907];
	/** id → distance in metres from the centre (turf), for the public point meldingen. */
	const placed = new Map<number, number>();
	let crossing: number;
	const changed: number[] = [];

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		// A fixed pseudo-random spread, the same on every run.
		let seed = 17;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const points: [number, number][] = [];
		while (points.length < 360) {
			const d = rand() * 1600;
			const bearing = rand() * 2 * Math.PI;
			// Metres to degrees roughly; the test then measures the real distance itself.
			const p: [number, number] = [
				centre[0] + (d * Math.sin(bearing)) / (111_320 * Math.cos((centre[1] * Math.PI) / 180)),
				centre[1] + (d * Math.cos(bearing)) / 110_570
			];
			const m = distance(centre, p, { units: 'meters' });
			if ([250, 500, 1000].some((r) => Math.abs(m - r) < r * 0.006)) continue;
			points.push(p);
		}
		// Just inside each circle due north, south, east and west, where the index's box is tightest.
		const deg = 180 / Math.PI / 6_371_008.8;
		for (const r of [250, 500, 1000])
			for (const [sx, sy] of [
				[0, 1],
				[0, -1],
				[1, 0],
				[-1, 0]
			])
				points.push([
					centre[0] + (sx * 0.985 * r * deg) / Math.cos((centre[1] * Math.PI) / 180),
					centre[1] + sy * 0.985 * r * deg
				]);
		// The corners of the 1 km box: outside the circle, inside the index's box.
		for (const [sx, sy] of [
			[1, 1],
			[-1, 1],
			[1, -1],
			[-1, -1]
		])
			points.push([centre[0] + sx * 0.0145, centre[1] + sy * 0.0089]);
		await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			const res = await insertItems(tx, [
				...points.map((p, i) => ({
					layer: 'meldingen' as const,
					title: `Melding ${i}`,
					description: 'Lamp',
					theme: 'openbare-ruimte',
					status: 'gemeld',
					category: 'straatverlichting',
					geometry: { type: 'Point' as const, coordinates: p }
				})),
				// A line through the centre whose vertices both lie 1.4 km away: in every circle.
				{
					layer: 'projecten' as const,
					title: 'Fietsroute',
					description: 'Door het centrum',
					theme: 'verkeer',
					status: 'uitvoering',
					geometry: {
						type: 'LineString' as const,
						coordinates: [
							[centre[0] - 0.0205, centre[1]],
							[centre[0] + 0.0205, centre[1]]
						]
					}
				}
			]);
			const ids = res.ids as number[];
			expect(res.outside).toEqual([]);
			points.forEach((p, i) => placed.set(ids[i], distance(centre, p, { units: 'meters' })));
			crossing = ids[ids.length - 1];
		});
		const [u] = await store.db.query<{ id: number }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('rik@gemeente.invalid', 'Rik', 'beheerder') RETURNING id::int`
		);
		const rik: StaffUser = {
			id: u.id,
			email: 'rik@gemeente.invalid',
			name: 'Rik',
			role: 'beheerder',
			department: null,
			wijken: []
		};
		// Status changes near and far: the feed's second part joins item_update to the circle.
		for (const [id] of [...placed].sort((a, b) => a[1] - b[1]).filter((_, i) => i % 40 === 0)) {
			expect(
				(
					await changeStatus(store.db, id, 1, 'in_behandeling', 'Wij gaan ermee aan de slag.', {
						actor: rik,
						client: '127.0.0.1'
					})
				).kind
			).toBe('ok');
			changed.push(id);
		}
	});

	afterAll(async () => {
		await store?.dispose();
	});

	async function allEntries(radius: number): Promise<FeedEntry[]> {
		const out: FeedEntry[] = [];
		let before: ReturnType<typeof parseFeedCursor> = null;
		for (;;) {
			const page = await feedEntries(
				store.db,
				{ kind: 'point', lon: centre[0], lat: centre[1], radius },
				before === 'invalid' ? null : before
			);
			out.push(...page.entries);
			if (!page.more) return out;
			before = parseFeedCursor(page.entries[page.entries.length - 1].cursor);
		}
	}

	const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

	for (const radius of [250, 500, 1000] as const) {
		it(`gives exactly the items within ${radius} m, and their status changes`, async () => {
			const inside = [...placed].filter(([, m]) => m <= radius).map(([id]) => id);
			expect(inside.length).toBeGreaterThan(5);
			expect(inside.length).toBeLessThan(placed.size - 100);
			const entries = await allEntries(radius);
			expect(sorted(entries.filter((e) => e.kind === 'nieuw').map((e) => e.itemId))).toEqual(
				sorted([...inside, crossing])
			);
			expect(sorted(entries.filter((e) => e.kind === 'status').map((e) => e.itemId))).toEqual(
				sorted(changed.filter((id) => inside.includes(id)))
			);

			const url = new URL(
				`http://portal.test/api/nabij?lat=${centre[1]}&lon=${centre[0]}&r=${radius}&layer=meldingen`
			);
			const res = await nearGET({
				url,
				locals: { db: store.db, user: null },
				request: new Request(url),
				getClientAddress: () => '192.0.2.7'
			} as never);
			const near = (await res.json()) as {
				features: { id: number; properties: { distance: number } }[];
			};
			expect(sorted(near.features.map((f) => Number(f.id)))).toEqual(sorted(inside));
			for (const f of near.features)
				expect(Math.abs(f.properties.distance - placed.get(Number(f.id))!)).toBeLessThanOrEqual(
					placed.get(Number(f.id))! * 0.004 + 1
				);
		});
	}
});
