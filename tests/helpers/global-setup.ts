import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { migrate, MIGRATIONS_DIR } from '../../src/lib/server/db/migrate.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
	}
}

/**
 * Creating a PGlite store with PostGIS takes ~15 s; copying a migrated one takes a moment.
 * The template is keyed by the migrations' content, so a new migration makes a new template.
 */
export default async function setup(project: TestProject) {
	const hash = createHash('sha256');
	for (const f of readdirSync(MIGRATIONS_DIR).sort())
		hash.update(f + readFileSync(path.join(MIGRATIONS_DIR, f)));
	const template = path.join(os.tmpdir(), `wijkkaart-template-${hash.digest('hex').slice(0, 12)}`);
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
}
