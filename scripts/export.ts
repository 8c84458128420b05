/** `npm run export -- <map>`: a full back-up of the store (contains personal data; see README.txt in the map). */
import path from 'node:path';
import { exportStore } from '../src/lib/server/backup/export.ts';
import { openDb } from '../src/lib/server/db/index.ts';

const dir = process.argv[2];
if (!dir || dir === '--help' || dir === '-h') {
	console.error('gebruik: npm run export -- <map>   (schrijft een volledige back-up, met persoonsgegevens)');
	process.exit(dir ? 0 : 2);
}
try {
	const db = await openDb();
	try {
		const { manifest } = await exportStore(db, path.resolve(dir));
		const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
		console.log(`Back-up geschreven naar ${path.resolve(dir)}: ${manifest.tables.length} tabellen, ${rows} rijen, schemaversie ${manifest.schemaVersion}.`);
		console.log('Let op: de back-up bevat persoonsgegevens (zie README.txt in de map).');
	} finally {
		await db.close();
	}
} catch (err) {
	console.error(`Fout: ${(err as Error).message.split('\n')[0]}`);
	if (process.env.WIJKKAART_DEBUG) console.error((err as Error).stack);
	process.exitCode = 2;
}
