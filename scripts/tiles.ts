/** `npm run tiles`: rebuilds tiles/areas.pmtiles from the areas in the store. */
import path from 'node:path';
import { config } from '../src/lib/server/config.ts';
import { openDb } from '../src/lib/server/db/index.ts';
import { buildAreaTiles } from '../src/lib/server/tiles/build.ts';

const out = path.join(config().tilesDir, 'areas.pmtiles');
try {
	const db = await openDb();
	try {
		const r = await buildAreaTiles(db, out);
		console.log(`${out}: ${r.tiles} tegels, ${(r.bytes / 1024).toFixed(0)} kB, in ${(r.ms / 1000).toFixed(1)} s`);
	} finally {
		await db.close();
	}
} catch (err) {
	console.error(`Fout: ${(err as Error).message}`);
	process.exitCode = 1;
}
