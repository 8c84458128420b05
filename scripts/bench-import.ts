/**
 * `npm run bench:import [-- --gemeenten 134]`: how long one municipality takes to import from a
 * national-size CBS GeoPackage (Utrecht plus translated copies under other GM codes, ≈ 15,000
 * buurten by default, generated with ogr2ogr into a temp dir), on PGlite and, when DATABASE_URL
 * is set, on PostgreSQL. Each store is fresh; the same path as `npm run import -- cbs` is timed
 * in its parts: read and plan (no store), write in one transaction, rebuild the area tiles.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { planAreaImport, readImportFile, runAreaPlan } from '../src/lib/server/import/area-plan.ts';
import { readSpatialFile } from '../src/lib/server/import/formats/index.ts';
import { openBenchStore, type StoreKind } from '../src/lib/server/bench/store.ts';
import { buildAreaTiles } from '../src/lib/server/tiles/build.ts';
import { cbsLayers, nationalOthers, writeCbsGeoPackage } from '../tests/helpers/cbs-fixtures.ts';
import { config } from '../src/lib/server/config.ts';

const { values } = parseArgs({
	options: {
		gemeenten: { type: 'string', default: '134' },
		gemeente: { type: 'string', default: 'GM0344' }
	}
});
const others = Number(values.gemeenten);
const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-bench-cbs-'));
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
try {
	let t = performance.now();
	const layers = cbsLayers({ others: nationalOthers(others) });
	const file = writeCbsGeoPackage(dir, layers);
	console.log(
		`GeoPackage: ${layers.buurten.length} buurten, ${layers.wijken.length} wijken, ${others + 1} gemeenten, ${(statSync(file).size / 1e6).toFixed(0)} MB (gemaakt in ${s(performance.now() - t)})`
	);
	const url = config().databaseUrl ?? undefined;
	const kinds: StoreKind[] = url ? ['pglite', 'postgres'] : ['pglite'];
	for (const kind of kinds) {
		const store = await openBenchStore(kind, url);
		try {
			const db = await store.db();
			t = performance.now();
			const spatial = await readSpatialFile(readImportFile(file, 1024 ** 3), file);
			const plan = await planAreaImport(
				spatial,
				{ kind: 'cbs', gemeente: values.gemeente! },
				file,
				'bench'
			);
			spatial.close();
			const read = performance.now() - t;
			t = performance.now();
			const summaries = await runAreaPlan(db, plan);
			const write = performance.now() - t;
			t = performance.now();
			await buildAreaTiles(db, path.join(dir, `${kind}.pmtiles`));
			const tiles = performance.now() - t;
			console.log(
				`${kind}: ${summaries.map((x) => `${x.imported} ${x.level}`).join(', ')} — lezen en plannen ${s(read)}, schrijven (één transactie) ${s(write)}, tegels ${s(tiles)}, samen ${s(read + write + tiles)}`
			);
		} finally {
			await store.drop();
		}
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
