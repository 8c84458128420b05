import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type { Db } from './types.ts';
import { config } from '../config.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * The built server is bundled elsewhere than this file, so look in the source tree under the
 * working directory first; scripts and tests find the folder beside this file.
 */
export const MIGRATIONS_DIR =
	config().migrationsDir ??
	[path.resolve('src/lib/server/db/migrations'), path.resolve(here, 'migrations')].find((d) =>
		existsSync(d)
	) ??
	path.resolve(here, 'migrations');

/**
 * Applies pending migrations, recorded in table `schemaversion`. Each migration file wraps
 * itself in a transaction; Postgrator records it right after.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
	const postgrator = new Postgrator({
		migrationPattern: path.join(dir, '*.sql').replaceAll('\\', '/'),
		driver: 'pg',
		schemaTable: 'schemaversion',
		execQuery: async (query: string) => {
			// Postgrator sends both multi-statement scripts and single selects whose rows it
			// reads; a multi-statement exec returns nothing we need, so split on intent.
			if (/^\s*select\b/i.test(query) && !query.trim().replace(/;\s*$/, '').includes(';')) {
				return { rows: await db.query(query) };
			}
			await db.exec(query);
			return { rows: [] };
		}
	});
	const applied = await postgrator.migrate();
	return applied.map((m) => m.filename);
}
