import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { freshStore, SHARED_UTRECHT, storeName, type TestStore } from '../helpers/db.ts';
import { readerForFile } from '../helpers/pmtiles.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { archiveProblem, buildAreaTiles, ensureAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { tileIdToZxy } from 'pmtiles';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));

describe(`area tiles on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let file: string;
	beforeAll(async () => {
		store = await freshStore();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-tiles-'));
		file = path.join(dir, 'areas.pmtiles');
		await importAreasFromGeoJSON(store.db, read('wijk.geojson'), { level: 'wijk' });
		await importAreasFromGeoJSON(store.db, read('buurt.geojson'), { level: 'buurt', parentLevel: 'wijk' });
	});
	afterAll(async () => {
		await store?.dispose();
		rmSync(dir, { recursive: true, force: true });
	});

	it('builds an archive whose every tile the official reader can read', async () => {
		const r = await buildAreaTiles(store.db, file);
		console.log(`Utrecht: ${r.tiles} tegels, ${(r.bytes / 1024).toFixed(0)} kB in ${r.ms} ms`);
		expect(archiveProblem(file)).toBeNull();
		const reader = readerForFile(file);
		const h = await reader.getHeader();
		expect(h.numAddressedTiles).toBe(r.tiles);
		const meta = (await reader.getMetadata()) as { vector_layers: { id: string }[] };
		expect(meta.vector_layers.map((l) => l.id)).toEqual(['wijk', 'wijk_label', 'buurt', 'buurt_label']);
		// Walk all zoom levels over the archive bounds: every tile that exists must decode.
		let read = 0;
		for (let z = h.minZoom; z <= h.maxZoom; z++) {
			const n = 2 ** z;
			const x0 = Math.floor(((h.minLon + 180) / 360) * n);
			const x1 = Math.floor(((h.maxLon + 180) / 360) * n);
			const y = (lat: number) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
			for (let x = x0; x <= x1; x++) {
				for (let yy = y(h.maxLat); yy <= y(h.minLat); yy++) {
					const t = await reader.getZxy(z, x, yy);
					if (!t) continue;
					const vt = new VectorTile(new PbfReader(new Uint8Array(t.data)));
					expect(Object.keys(vt.layers).length).toBeGreaterThan(0);
					read++;
				}
			}
		}
		expect(read).toBe(r.tiles);
		void tileIdToZxy;
	});

	it('puts BINNENSTAD and its buurten in the tile over the Domtoren', async () => {
		const reader = readerForFile(file);
		const z = 13;
		const [lon, lat] = [5.1214, 52.0907];
		const x = Math.floor(((lon + 180) / 360) * 2 ** z);
		const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
		const t = await reader.getZxy(z, x, y);
		const vt = new VectorTile(new PbfReader(new Uint8Array(t!.data)));
		const names = (layer: string) =>
			Array.from({ length: vt.layers[layer].length }, (_, i) => vt.layers[layer].feature(i).properties);
		expect(names('wijk').map((p) => p.name)).toContain('BINNENSTAD');
		expect(names('buurt').some((p) => p.parent === '06')).toBe(true);
		expect(names('buurt_label').length).toBeGreaterThan(0);
	});

	it('notices a truncated archive and rebuilds it', async () => {
		truncateSync(file, 5000);
		expect(archiveProblem(file)).toMatch(/afgekapt|onleesbare/);
		expect(await ensureAreaTiles(store.db, file)).toBe('rebuilt');
		expect(archiveProblem(file)).toBeNull();
		expect(await ensureAreaTiles(store.db, file)).toBe('ok');
	});
});
