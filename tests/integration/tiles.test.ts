import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	truncateSync,
	writeFileSync
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { PMTiles, type Header, type Source } from 'pmtiles';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { readerForFile } from '../helpers/pmtiles.ts';
import {
	archiveProblem,
	buildAreaTiles,
	ensureAreaTiles
} from '../../src/lib/server/tiles/build.ts';
import { GET, HEAD } from '../../src/routes/tiles/areas.pmtiles/+server.ts';
import { insertUtrechtAreas } from './tiles-setup.ts';

interface LayerMeta {
	id: string;
	minzoom: number;
	maxzoom: number;
	fields: Record<string, string>;
}

const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat: number, z: number) => {
	const r = (lat * Math.PI) / 180;
	return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};
const decode = (data: ArrayBuffer) => new VectorTile(new PbfReader(new Uint8Array(data)));
const featuresOf = (vt: VectorTile, layer: string) =>
	vt.layers[layer]
		? Array.from({ length: vt.layers[layer].length }, (_, i) => vt.layers[layer].feature(i))
		: [];

/** Every tile in the archive, found by asking the official reader for each tile over its bounds. */
async function allTiles(
	reader: PMTiles
): Promise<{ z: number; x: number; y: number; vt: VectorTile }[]> {
	const h: Header = await reader.getHeader();
	const out = [];
	for (let z = h.minZoom; z <= h.maxZoom; z++) {
		for (let x = tileX(h.minLon, z); x <= tileX(h.maxLon, z); x++) {
			for (let y = tileY(h.maxLat, z); y <= tileY(h.minLat, z); y++) {
				const t = await reader.getZxy(z, x, y);
				if (t) out.push({ z, x, y, vt: decode(t.data) });
			}
		}
	}
	return out;
}

describe(`area tiles on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let file: string;
	const saved = process.env.WIJKKAART_TILES_DIR;

	beforeAll(async () => {
		store = await freshStore();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-tiles-'));
		file = path.join(dir, 'areas.pmtiles');
		process.env.WIJKKAART_TILES_DIR = dir;
	});
	afterAll(async () => {
		process.env.WIJKKAART_TILES_DIR = saved;
		await store?.dispose();
		rmSync(dir, { recursive: true, force: true });
	});

	it('does nothing on a store without areas, and the build says what to do first', async () => {
		expect(await ensureAreaTiles(store.db, file)).toBe('no-areas');
		expect(existsSync(file)).toBe(false);
		await expect(buildAreaTiles(store.db, file)).rejects.toThrow(/nog geen gebieden.*importeer/);
		expect(await insertUtrechtAreas(store.db)).toEqual({ wijken: 10, buurten: 111 });
	});

	it('builds an archive whose every tile the official reader reads and decodes', async () => {
		const r = await buildAreaTiles(store.db, file);
		console.log(
			`Utrecht (${storeName}): ${r.tiles} tegels, ${(r.bytes / 1024).toFixed(0)} kB in ${r.ms} ms`
		);
		expect(archiveProblem(file)).toBeNull();
		expect(readFileSync(file).length).toBe(r.bytes);
		const reader = readerForFile(file);
		const h = await reader.getHeader();
		expect(h).toMatchObject({
			numAddressedTiles: r.tiles,
			clustered: true,
			tileType: 1,
			tileCompression: 2
		});
		expect(h.minLon).toBeGreaterThan(4.9);
		expect(h.maxLon).toBeLessThan(5.2);
		const meta = (await reader.getMetadata()) as { name: string; vector_layers: LayerMeta[] };
		expect(meta.name).toBe('Wijkkaart gebieden');
		expect(meta.vector_layers.map((l) => l.id)).toEqual([
			'wijk',
			'wijk_label',
			'buurt',
			'buurt_label'
		]);
		for (const l of meta.vector_layers)
			expect(Object.keys(l.fields).sort()).toEqual(['code', 'level', 'name', 'parent']);

		const tiles = await allTiles(reader);
		expect(tiles.length).toBe(r.tiles);
		for (const t of tiles) {
			const names = Object.keys(t.vt.layers);
			expect(names.length, `${t.z}/${t.x}/${t.y}`).toBeGreaterThan(0);
			// Layers appear exactly at the zooms the metadata promises.
			for (const n of names) {
				const l = meta.vector_layers.find((v) => v.id === n)!;
				expect(t.z).toBeGreaterThanOrEqual(l.minzoom);
				expect(t.z).toBeLessThanOrEqual(l.maxzoom);
			}
		}
		// The finer level starts later than the coarse one: buurten at zoom 6 are a smear.
		const [wijk, , buurt] = meta.vector_layers;
		expect(wijk.minzoom).toBe(h.minZoom);
		expect(buurt.minzoom).toBeGreaterThan(wijk.minzoom);
	});

	it('puts BINNENSTAD and its buurten in the tile over the Domtoren', async () => {
		const reader = readerForFile(file);
		const [lon, lat, z] = [5.1214, 52.0907, 13];
		const t = await reader.getZxy(z, tileX(lon, z), tileY(lat, z));
		const vt = decode(t!.data);
		const wijken = featuresOf(vt, 'wijk');
		const binnenstad = wijken.find((f) => f.properties.name === 'BINNENSTAD');
		expect(binnenstad?.properties).toMatchObject({ code: '06', level: 'wijk' });
		expect(typeof binnenstad?.id).toBe('number');
		expect(binnenstad?.type).toBe(3); // polygon
		const buurten = featuresOf(vt, 'buurt');
		const inBinnenstad = buurten.filter((f) => f.properties.parent === '06');
		expect(inBinnenstad.map((f) => f.properties.name)).toEqual(
			expect.arrayContaining(['Domplein, Neude, Jan'])
		);
		expect(
			inBinnenstad.every(
				(f) => String(f.properties.code).startsWith('06') && f.properties.level === 'buurt'
			)
		).toBe(true);
		// Ids are per level: the label point of an area carries the id of its polygon.
		const label = featuresOf(vt, 'buurt_label').find(
			(f) => f.properties.name === 'Domplein, Neude, Jan'
		);
		const polygon = inBinnenstad.find((f) => f.properties.name === 'Domplein, Neude, Jan');
		expect(label?.type).toBe(1); // point
		expect(label?.id).toBe(polygon?.id);
	});

	it('has one label point per area on every zoom, so each area gets one label', async () => {
		const reader = readerForFile(file);
		const meta = (await reader.getMetadata()) as { vector_layers: LayerMeta[] };
		const tiles = await allTiles(reader);
		for (const [level, count] of [
			['wijk', 10],
			['buurt', 111]
		] as const) {
			const layer = meta.vector_layers.find((l) => l.id === `${level}_label`)!;
			for (let z = layer.minzoom; z <= layer.maxzoom; z++) {
				const codes = tiles
					.filter((t) => t.z === z)
					.flatMap((t) => featuresOf(t.vt, `${level}_label`).map((f) => f.properties.code));
				expect(codes.length, `${level} z${z}`).toBe(count);
				expect(new Set(codes).size, `${level} z${z}`).toBe(count);
			}
		}
	});

	it('builds the very same bytes from the same areas, so feature ids stay put', async () => {
		const before = readFileSync(file);
		await buildAreaTiles(store.db, file);
		expect(readFileSync(file).equals(before)).toBe(true);
		expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	});

	it('serves the archive in byte ranges that the official reader reads every tile through', async () => {
		const call = (handler: typeof GET, headers: Record<string, string> = {}) =>
			handler({
				request: new Request('http://localhost/tiles/areas.pmtiles', { headers })
			} as never) as Promise<Response>;
		const source: Source = {
			getKey: () => 'route',
			getBytes: async (offset, length) => {
				const res = await call(GET, { range: `bytes=${offset}-${offset + length - 1}` });
				expect(res.status).toBe(206);
				return { data: await res.arrayBuffer(), etag: res.headers.get('etag') ?? undefined };
			}
		};
		const viaRoute = await allTiles(new PMTiles(source));
		expect(viaRoute.length).toBe((await readerForFile(file).getHeader()).numAddressedTiles);

		const bytes = readFileSync(file);
		const part = await call(GET, { range: 'bytes=100-199' });
		expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
		expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
		const whole = await call(GET);
		expect(whole.status).toBe(200);
		expect(whole.headers.get('accept-ranges')).toBe('bytes');
		expect(whole.headers.get('cache-control')).toBe('no-cache');
		expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
		const head = await call(HEAD);
		expect(head.headers.get('content-length')).toBe(String(bytes.length));
		expect(await head.text()).toBe('');
		const past = await call(GET, { range: `bytes=${bytes.length}-` });
		expect(past.status).toBe(416);
		expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);

		// Revalidation: the same version answers 304; a rebuilt archive has a new ETag.
		const etag = whole.headers.get('etag')!;
		expect((await call(GET, { 'if-none-match': etag })).status).toBe(304);
		await new Promise((r) => setTimeout(r, 20));
		await buildAreaTiles(store.db, file);
		const after = await call(GET, { 'if-none-match': etag, range: 'bytes=0-126' });
		expect(after.status).toBe(206);
		expect(after.headers.get('etag')).not.toBe(etag);
		await after.arrayBuffer();
	});

	it('answers 404 with a JSON message (Dutch, or English when asked) while there is no archive', async () => {
		process.env.WIJKKAART_TILES_DIR = path.join(dir, 'nergens');
		try {
			const ask = (lang: 'nl' | 'en') =>
				GET({
					request: new Request('http://localhost/tiles/areas.pmtiles'),
					locals: { lang }
				} as never);
			const res = await ask('nl');
			expect(res.status).toBe(404);
			expect(await res.json()).toEqual({
				error: expect.stringMatching(/kaarttegels .* ontbreken/),
				code: 'errors.tile.areasMissing'
			});
			const en = await ask('en');
			expect([en.status, await en.json()]).toEqual([
				404,
				{
					error: expect.stringMatching(/^The area map tiles are missing/),
					code: 'errors.tile.areasMissing'
				}
			]);
		} finally {
			process.env.WIJKKAART_TILES_DIR = dir;
		}
	});

	it('notices a truncated or garbled archive and rebuilds it, saying so in Dutch', async () => {
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		try {
			truncateSync(file, 5000);
			expect(archiveProblem(file)).toMatch(/afgekapt/);
			expect(await ensureAreaTiles(store.db, file)).toBe('rebuilt');
			expect(archiveProblem(file)).toBeNull();
			expect(log.mock.calls.join('\n')).toMatch(/afgekapt.*opnieuw maken/);
			expect(await ensureAreaTiles(store.db, file)).toBe('ok');

			writeFileSync(file, 'geen archief, maar een tekstbestand dat iemand hier neerzette');
			expect(await ensureAreaTiles(store.db, file)).toBe('rebuilt');
			rmSync(file);
			expect(await ensureAreaTiles(store.db, file)).toBe('built');
			expect((await allTiles(readerForFile(file))).length).toBeGreaterThan(50);
		} finally {
			log.mockRestore();
		}
	});
});
