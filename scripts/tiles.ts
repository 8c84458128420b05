/** `npm run tiles`: rebuilds tiles/areas.pmtiles from the areas in the store. */
import path from 'node:path';
import { config } from '../src/lib/server/config.ts';
import { openDb } from '../src/lib/server/db/index.ts';
import { buildAreaTiles, formatBytes } from '../src/lib/server/tiles/build.ts';

try {
	const out = path.join(config().tilesDir, 'areas.pmtiles');
	const db = await openDb();
	try {
		console.log(`Kaarttegels maken in ${out}…`);
		const r = await buildAreaTiles(db, out);
		console.log(`Klaar: ${r.tiles} tegels, ${formatBytes(r.bytes)}, in ${(r.ms / 1000).toFixed(1).replace('.', ',')} s.`);
	} finally {
		await db.close();
	}
} catch (err) {
	console.error(`Fout: ${(err as Error).message}`);
	process.exitCode = 1;
}
