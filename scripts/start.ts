/**
 * `npm start`: one command from a fresh clone to a running portal.
 * Prepares the store (migrations, demo data when it is empty), the area tiles and the
 * production build, then serves the build in this same process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { config } from '../src/lib/server/config.ts';
import { openDb } from '../src/lib/server/db/index.ts';
import { seedDemoIfEmpty } from '../src/lib/server/demo/seed.ts';
import { ensureAreaTiles } from '../src/lib/server/tiles/build.ts';

const started = performance.now();
const cfg = config();

let db;
try {
	db = await openDb(cfg);
} catch (err) {
	// Most often the store is in use (db/lock.ts): a portal already runs on this data directory.
	console.error(`Fout: ${(err as Error).message}`);
	process.exit(1);
}
try {
	const seeded = await seedDemoIfEmpty(db);
	if (seeded)
		console.log(
			`Lege database: demogemeente ${seeded.name} aangemaakt (${seeded.areas} gebieden, ${seeded.items} items).`
		);
	await ensureAreaTiles(db, path.join(cfg.tilesDir, 'areas.pmtiles'));
} finally {
	// PGlite allows one process per data directory; the server opens it again below.
	await db.close();
}

if (buildIsStale()) {
	console.log('Productiebuild maken (eenmalig, ~1 minuut)…');
	const res = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], {
		stdio: 'inherit'
	});
	if (res.status !== 0) process.exit(res.status ?? 1);
}

process.env.PORT ??= '3000';
// Without ORIGIN, adapter-node takes every request for https: SvelteKit's CSRF check then refuses
// each form posted over plain http, and links in QR codes and feeds say https://. Served directly
// by this process, the portal is on plain http at localhost; behind a proxy, ORIGIN says otherwise.
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;
// Resident photos may be 10 MB; adapter-node refuses bodies over 512 kB unless told otherwise.
process.env.BODY_SIZE_LIMIT ??= '11M';
await import(pathToFileURL(path.resolve('build/index.js')).href);
console.log(
	`Wijkkaart draait op ${process.env.ORIGIN} (klaar na ${Math.round(performance.now() - started)} ms)`
);

/** A build older than any source file would serve yesterday's code. */
function buildIsStale(): boolean {
	const entry = path.resolve('build/index.js');
	if (!existsSync(entry)) return true;
	const built = statSync(entry).mtimeMs;
	const newest = Math.max(
		...['svelte.config.js', 'vite.config.ts', 'package-lock.json']
			.filter(existsSync)
			.map((f) => statSync(f).mtimeMs),
		newestIn('src'),
		newestIn('static')
	);
	return newest > built;
}

function newestIn(dir: string): number {
	if (!existsSync(dir)) return 0;
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile())
			newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
	}
	return newest;
}
