import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as tileGET } from '../../src/routes/tiles/items/[z]/[x]/[y].mvt/+server.ts';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { DETAIL_CAP, DETAIL_ZOOM } from '../../src/lib/server/tiles/item-tiles.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

const EXTENT = 4096;

/** Tile numbers computed here, independently of src/lib/geo/tiles.ts. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
	const n = 2 ** z;
	const r = (lat * Math.PI) / 180;
	return [
		Math.floor(((lon + 180) / 360) * n),
		Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
	];
}

describe(`item vector tiles on ${storeName}`, () => {
	let store: TestStore;

	async function tile(
		z: number,
		x: number,
		y: number,
		qs = '',
		headers: Record<string, string> = {}
	) {
		const url = new URL(
			`/tiles/items/${z}/${x}/${y}.mvt${qs ? `?${qs}` : ''}`,
			'http://wijkkaart.test'
		);
		const res = await tileGET({
			url,
			params: { z: String(z), x: String(x), y: String(y) },
			locals: { db: store.db },
			request: new Request(url, { headers })
		} as never);
		const bytes = new Uint8Array(await res.arrayBuffer());
		return { res, bytes };
	}
	function features(bytes: Uint8Array) {
		if (bytes.byteLength === 0) return [];
		const layer = new VectorTile(new PbfReader(bytes)).layers.items;
		return Array.from({ length: layer?.length ?? 0 }, (_, i) => layer.feature(i));
	}
	/** Items whose drawn point lies inside the tile proper, not in the buffer around it. */
	function countInside(bytes: Uint8Array): number {
		let n = 0;
		for (const f of features(bytes)) {
			const [[p]] = f.loadGeometry();
			if (p.x >= 0 && p.x < EXTENT && p.y >= 0 && p.y < EXTENT) n += Number(f.properties.count);
		}
		return n;
	}
	async function matched(qs: string): Promise<number> {
		const url = new URL(`/api/items?${qs}&count=true&limit=1`, 'http://wijkkaart.test');
		const res = await listGET({
			url,
			params: {},
			locals: { db: store.db },
			request: new Request(url)
		} as never);
		return (await res.json()).numberMatched;
	}
	async function utrechtTiles(z: number): Promise<[number, number][]> {
		const [b] = await store.db.query<{ w: number; s: number; e: number; n: number }>(
			`SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM area) q`
		);
		const [x0, y0] = tileOf(b.w, b.n, z);
		const [x1, y1] = tileOf(b.e, b.s, z);
		const out: [number, number][] = [];
		for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
		return out;
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await writeUtrechtFixtures(store.db, { meldingen: 2000, contactDomain: 'melder.invalid' });
	});
	afterAll(() => store?.dispose());

	it('counts every public item once over the tiles covering Utrecht, per theme and in all', async () => {
		for (const qs of ['', 'theme=openbare-ruimte', 'layer=meldingen&status=gemeld']) {
			// Zoom 1's cells are coarser than the coarsest kept (summed from it).
			for (const z of [1, 11]) {
				let sum = 0;
				for (const [x, y] of await utrechtTiles(z)) {
					const { res, bytes } = await tile(z, x, y, qs);
					expect([200, 204]).toContain(res.status);
					sum += countInside(bytes);
				}
				expect(sum, `z${z} ${qs}`).toBe(await matched(qs));
				expect(sum).toBeGreaterThan(0);
			}
		}
	});

	it('draws the same cells from the kept cell counts as from counting the items themselves', async () => {
		/** The properties of the features inside the tile proper, in a fixed order. */
		const inside = (bytes: Uint8Array) =>
			features(bytes)
				.filter((f) => {
					const [[p]] = f.loadGeometry();
					return p.x >= 0 && p.x < EXTENT && p.y >= 0 && p.y < EXTENT;
				})
				.map((f) =>
					JSON.stringify(Object.entries(f.properties).sort(([a], [b]) => a.localeCompare(b)))
				)
				.sort();
		let cells = 0;
		for (const z of [1, 9, 11, DETAIL_ZOOM - 1]) {
			for (const [x, y] of (await utrechtTiles(z)).slice(0, 16)) {
				for (const qs of [
					'',
					'theme=openbare-ruimte,verkeer',
					'layer=meldingen&status=gemeld,afgehandeld'
				]) {
					const counted = inside((await tile(z, x, y, qs)).bytes);
					// A date filter (here matching every item) is not kept per cell: the tile counts the items.
					const rows = inside((await tile(z, x, y, `${qs}&from=2000-01-01`)).bytes);
					expect(counted, `${z}/${x}/${y}?${qs}`).toEqual(rows);
					cells += counted.length;
				}
			}
		}
		expect(cells).toBeGreaterThan(100);
	});

	it('keeps the drawn symbols of the counted zooms apart: no two overlap on screen', async () => {
		// As the map draws them: 512 px tiles, a 40 px count bubble, a 22 px symbol for a lone item.
		const side = (count: number) => (count === 1 ? 22 : 40);
		for (const z of [1, 9, 11, DETAIL_ZOOM - 1]) {
			const drawn: { x: number; y: number; s: number }[] = [];
			for (const [x, y] of await utrechtTiles(z)) {
				for (const f of features((await tile(z, x, y)).bytes)) {
					const [[p]] = f.loadGeometry();
					// A symbol is drawn by the tile its anchor lies in (MapLibre skips the buffer's).
					if (p.x < 0 || p.x >= EXTENT || p.y < 0 || p.y >= EXTENT) continue;
					const s = side(Number(f.properties.count));
					drawn.push({ x: x * 512 + (p.x * 512) / EXTENT, y: y * 512 + (p.y * 512) / EXTENT, s });
				}
			}
			expect(drawn.length, `z${z}`).toBeGreaterThan(0);
			const overlaps = drawn.flatMap((a, i) =>
				drawn
					.slice(i + 1)
					.filter((b) => {
						const apart = (a.s + b.s) / 2 - 1e-9;
						return Math.abs(a.x - b.x) < apart && Math.abs(a.y - b.y) < apart;
					})
					.map((b) => [a, b])
			);
			expect(overlaps, `z${z}: ${JSON.stringify(overlaps.slice(0, 3))}`).toEqual([]);
		}
	});

	it('draws items one by one from the detail zoom, the same ones /api/items finds in that tile', async () => {
		const [{ lon, lat }] = await store.db.query<{ lon: number; lat: number }>(
			`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM item WHERE layer = 'meldingen' AND published AND NOT sensitive ORDER BY id LIMIT 1`
		);
		const [x, y] = tileOf(lon, lat, DETAIL_ZOOM);
		const fs = features((await tile(DETAIL_ZOOM, x, y, 'layer=meldingen')).bytes);
		const inside = fs.filter((f) => {
			const [[p]] = f.loadGeometry();
			return p.x >= 0 && p.x < EXTENT && p.y >= 0 && p.y < EXTENT;
		});
		expect(inside.length).toBeGreaterThan(0);
		expect(
			fs.every(
				(f) =>
					f.properties.count === 1 &&
					f.properties.layer === 'meldingen' &&
					typeof f.properties.title === 'string'
			)
		).toBe(true);
		const n = 2 ** DETAIL_ZOOM;
		const lonOf = (tx: number) => (tx / n) * 360 - 180;
		const latOf = (ty: number) =>
			(180 / Math.PI) * Math.atan(Math.sinh(Math.PI - (2 * Math.PI * ty) / n));
		const bbox = [lonOf(x), latOf(y + 1), lonOf(x + 1), latOf(y)].join(',');
		const url = new URL(
			`/api/items?layer=meldingen&bbox=${bbox}&limit=5000`,
			'http://wijkkaart.test'
		);
		const api = await (
			await listGET({
				url,
				params: {},
				locals: { db: store.db },
				request: new Request(url)
			} as never)
		).json();
		expect(new Set(inside.map((f) => f.properties.id))).toEqual(
			new Set(api.features.map((f: { id: number }) => f.id))
		);
	});

	it('counts a street tile too full to draw item by item in cells, exactly, and draws a narrower filter item by item', async () => {
		const [{ lon, lat }] = await store.db.query<{ lon: number; lat: number }>(
			`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM item WHERE layer = 'meldingen' AND published AND NOT sensitive ORDER BY id LIMIT 1`
		);
		const [x, y] = tileOf(lon, lat, DETAIL_ZOOM);
		// DETAIL_CAP more open meldingen in a 100 m square around it, all in one street tile.
		await store.db.query(
			`INSERT INTO item (layer, title, theme, status, geom, areas, created_at)
			 SELECT 'meldingen', 'Zwerfvuil ' || g, 'openbare-ruimte', 'gemeld',
			        ST_SetSRID(ST_MakePoint($1 + (g % 40) * 0.00002, $2 + (g / 40) * 0.00002), 4326), '{}'::jsonb, now()
			 FROM generate_series(1, $3::int) g`,
			[lon, lat, DETAIL_CAP]
		);
		const all = features((await tile(DETAIL_ZOOM, x, y)).bytes);
		// Counted, as below the detail zoom: fewer features than items, and the counts add up to them.
		const n = 2 ** DETAIL_ZOOM;
		const lonOf = (tx: number) => (tx / n) * 360 - 180;
		const latOf = (ty: number) =>
			(180 / Math.PI) * Math.atan(Math.sinh(Math.PI - (2 * Math.PI * ty) / n));
		const bbox = [lonOf(x), latOf(y + 1), lonOf(x + 1), latOf(y)].join(',');
		expect(await matched(`bbox=${bbox}`)).toBeGreaterThan(DETAIL_CAP);
		expect(countInside((await tile(DETAIL_ZOOM, x, y)).bytes)).toBe(await matched(`bbox=${bbox}`));
		expect(all.length).toBeLessThan(DETAIL_CAP / 4);
		expect(all.some((f) => Number(f.properties.count) > 1)).toBe(true);
		// The same counts from the kept cells as from the items (a date filter counts the items).
		expect(countInside((await tile(DETAIL_ZOOM, x, y, 'from=2000-01-01')).bytes)).toBe(
			await matched(`bbox=${bbox}`)
		);
		// Filtered to a theme the new meldingen are not in, the tile is quiet again: every item on its own.
		const quiet = features((await tile(DETAIL_ZOOM, x, y, 'theme=verkeer')).bytes);
		expect(
			quiet.every((f) => f.properties.count === 1 && typeof f.properties.title === 'string')
		).toBe(true);
		expect(countInside((await tile(DETAIL_ZOOM, x, y, 'theme=verkeer')).bytes)).toBe(
			await matched(`bbox=${bbox}&theme=verkeer`)
		);
		await store.db.query(`DELETE FROM item WHERE title LIKE 'Zwerfvuil %' AND areas = '{}'::jsonb`);
	});

	it('answers 304 to a matching ETag, and gives a new ETag and content after items change', async () => {
		const [x, y] = (await utrechtTiles(11))[0];
		const first = await tile(11, x, y);
		const etag = first.res.headers.get('etag')!;
		expect(etag).toMatch(/^"items-\d+"$/);
		expect((await tile(11, x, y, '', { 'if-none-match': etag })).res.status).toBe(304);
		await store.db.query(
			`UPDATE item SET deleted_at = now() WHERE id = (SELECT min(id) FROM item WHERE published AND NOT sensitive)`
		);
		const after = await tile(11, x, y, '', { 'if-none-match': etag });
		expect(after.res.status).not.toBe(304);
		expect(after.res.headers.get('etag')).not.toBe(etag);
	});

	it('compresses with gzip when the client accepts it, to the same tile', async () => {
		const [x, y] = (await utrechtTiles(11))[0];
		const plain = await tile(11, x, y, 'layer=meldingen');
		const gz = await tile(11, x, y, 'layer=meldingen', { 'accept-encoding': 'gzip, br' });
		expect(gz.res.headers.get('content-encoding')).toBe('gzip');
		expect(gz.res.headers.get('vary')).toMatch(/accept-encoding/i);
		expect(gz.bytes.byteLength).toBeLessThan(plain.bytes.byteLength);
		expect(Buffer.from(gunzipSync(gz.bytes)).equals(Buffer.from(plain.bytes))).toBe(true);
	});

	it('refuses tiles that do not exist and filters /api/items does not know, in Dutch', async () => {
		for (const [z, x, y] of [
			[23, 0, 0],
			[3, 8, 0],
			[3, 0, -1]
		]) {
			const { res } = await tile(z, x, y);
			expect(res.status).toBe(400);
		}
		const { res, bytes } = await tile(11, 1051, 673, 'theme=vuurwerk');
		expect(res.status).toBe(400);
		expect(new TextDecoder().decode(bytes)).toMatch(/onbekend theme/);
	});
});
