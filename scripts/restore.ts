/** `npm run restore -- <map>`: zet een back-up van `npm run export` terug in een LEGE store. */
import path from 'node:path';
import { readManifest, RestoreError, restoreStore } from '../src/lib/server/backup/restore.ts';
import { openDb } from '../src/lib/server/db/index.ts';

const dir = process.argv[2];
if (!dir || dir === '--help' || dir === '-h') {
	console.error('gebruik: npm run restore -- <map>   (alleen in een lege store)');
	process.exit(dir ? 0 : 2);
}
try {
	// Check every file before the store is even opened: a damaged back-up writes nothing.
	readManifest(path.resolve(dir));
	const db = await openDb();
	try {
		const { tables, rows } = await restoreStore(db, path.resolve(dir));
		console.log(`Back-up teruggezet: ${tables} tabellen, ${rows} rijen.`);
	} finally {
		await db.close();
	}
} catch (err) {
	console.error(`Fout: ${(err as Error).message.split('\n')[0]}`);
	if (process.env.WIJKKAART_DEBUG) console.error((err as Error).stack);
	process.exitCode = err instanceof RestoreError ? 2 : 1;
}
