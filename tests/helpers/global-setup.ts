import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import { migrate, MIGRATIONS_DIR } from '../../src/lib/server/db/migrate.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		/** Name of the migrated template database on the DATABASE_URL server; '' on PGlite. */
		pgTemplate: string;
	}
}

/**
 * Creating a PGlite store with PostGIS takes ~15 s; copying a migrated one takes a moment.
 * On PostgreSQL, migrating a new database takes ~1.6 s, cloning a migrated one ~0.3 s.
 * The templates are keyed by the migrations' content, so a new migration makes new ones.
 */
export default async function setup(project: TestProject) {
	const hash = createHash('sha256');
	for (const f of readdirSync(MIGRATIONS_DIR).sort())
		hash.update(f + readFileSync(path.join(MIGRATIONS_DIR, f)));
	const key = hash.digest('hex').slice(0, 12);
	const template = path.join(os.tmpdir(), `wijkkaart-template-${key}`);
	if (!existsSync(path.join(template, 'PG_VERSION'))) {
		const building = `${template}.${process.pid}`;
		rmSync(building, { recursive: true, force: true });
		mkdirSync(building, { recursive: true });
		const db = await openPglite(building);
		await migrate(db);
		await db.close();
		rmSync(template, { recursive: true, force: true });
		renameSync(building, template);
	}
	project.provide('pgliteTemplate', template);
	project.provide(
		'pgTemplate',
		process.env.DATABASE_URL ? await postgresTemplate(process.env.DATABASE_URL, key) : ''
	);
}

/**
 * A migrated database that test stores are cloned from (CREATE DATABASE … TEMPLATE). Built under
 * a name of its own and renamed when complete, so a parallel run never clones a half-migrated one.
 * It admits no connections: PostgreSQL refuses to clone a database someone is connected to.
 */
async function postgresTemplate(url: string, key: string): Promise<string> {
	const name = `wk_template_${key}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	try {
		const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
		if (found.rowCount) return name;
		const building = `${name}_${process.pid}`;
		await admin.query(`DROP DATABASE IF EXISTS ${building}`);
		await admin.query(`CREATE DATABASE ${building}`);
		const u = new URL(url);
		u.pathname = `/${building}`;
		const db = await openPostgres(u.toString());
		try {
			await migrate(db);
		} finally {
			await db.close();
		}
		try {
			await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
		} catch (err) {
			// Another run finished the same template first: use that one.
			if ((err as { code?: string }).code !== '42P04') throw err;
			await admin.query(`DROP DATABASE ${building}`);
			return name;
		}
		await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
		return name;
	} finally {
		await admin.end();
	}
}
