import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateNationalAreas, type NationalAreas } from '../demo/national.ts';
import { importAreaLevels } from '../import/areas.ts';
import { buildAreaTiles } from '../tiles/build.ts';
import { round } from './stats.ts';
import { openBenchStore, type StoreKind } from './store.ts';

export interface NationalTiles {
	gemeenten: number;
	wijken: number;
	buurten: number;
	/** Generating the synthetic country (Voronoi, pure JS). */
	generateMs: number;
	/** The three levels through the area import, in one transaction. */
	importMs: number;
	/** buildAreaTiles, the function `npm run tiles` runs. */
	buildMs: number;
	tiles: number;
	bytes: number;
}

let cached: { buurtTarget: number; areas: NationalAreas; ms: number } | null = null;

/**
 * The area-tile build at the scale of the whole country: gemeenten, wijken and ~15,000 buurten
 * in a fresh store, then the same build `npm run tiles` runs.
 */
export async function measureNationalTiles(
	kind: StoreKind,
	url: string | undefined,
	buurtTarget: number
): Promise<NationalTiles> {
	if (cached?.buurtTarget !== buurtTarget) {
		const t = performance.now();
		const areas = generateNationalAreas(buurtTarget);
		cached = { buurtTarget, areas, ms: round(performance.now() - t, 0) };
	}
	const { areas } = cached;
	const store = await openBenchStore(kind, url);
	const out = path.join(os.tmpdir(), `wijkkaart-bench-national-${process.pid}.pmtiles`);
	try {
		const db = await store.db();
		let t = performance.now();
		await importAreaLevels(db, [
			{ input: areas.gemeenten, opts: { level: 'gemeente', source: 'bench:nationaal' } },
			{
				input: areas.wijken,
				opts: { level: 'wijk', parentLevel: 'gemeente', source: 'bench:nationaal' }
			},
			{
				input: areas.buurten,
				opts: { level: 'buurt', parentLevel: 'wijk', source: 'bench:nationaal' }
			}
		]);
		const importMs = round(performance.now() - t, 0);
		t = performance.now();
		const built = await buildAreaTiles(db, out);
		return {
			gemeenten: areas.gemeenten.features.length,
			wijken: areas.wijken.features.length,
			buurten: areas.buurten.features.length,
			generateMs: cached.ms,
			importMs,
			buildMs: round(performance.now() - t, 0),
			tiles: built.tiles,
			bytes: built.bytes
		};
	} finally {
		rmSync(out, { force: true });
		await store.drop();
	}
}
