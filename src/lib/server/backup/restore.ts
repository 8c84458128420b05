import { AppError, msg } from '../../domain/errors.ts';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { migrate } from '../db/migrate.ts';
import type { Db, Sql } from '../db/types.ts';
import { quoteIdent, schemaVersion, userTables } from './catalog.ts';
import { FORMAT, type Manifest, MANIFEST } from './export.ts';

/** A problem the user can fix (wrong folder, damaged file, store not empty): exit 2 with this text. */
export class RestoreError extends AppError {}

const BATCH = 500;

/** Tables whose rows only ever come from use, never from a migration: any row means "not empty". */
async function storeHasContent(db: Sql, tables: string[]): Promise<string | null> {
	for (const t of tables) {
		const [row] = await db.query<{ n: boolean }>(
			`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(t)}) AS n`
		);
		if (row.n) return t;
	}
	return null;
}

/** Reads and checks the manifest and every file's sha256 before anything is written. */
export function readManifest(dir: string): Manifest {
	const file = path.join(dir, MANIFEST);
	if (!existsSync(file))
		throw new RestoreError(msg('errors.backup.noManifest', { manifest: MANIFEST, dir }));
	let manifest: Manifest;
	try {
		manifest = JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		throw new RestoreError(msg('errors.backup.manifestJson', { manifest: MANIFEST }));
	}
	if (manifest?.format !== FORMAT)
		throw new RestoreError(msg('errors.backup.format', { format: FORMAT }));
	for (const t of manifest.tables) {
		if (!(t.file in manifest.files))
			throw new RestoreError(msg('errors.backup.noChecksum', { file: t.file }));
	}
	for (const [name, expected] of Object.entries(manifest.files)) {
		const full = path.join(dir, name);
		if (path.relative(dir, full).startsWith('..'))
			throw new RestoreError(msg('errors.backup.badPath', { file: name }));
		if (!existsSync(full)) throw new RestoreError(msg('errors.backup.missing', { file: name }));
		const actual = createHash('sha256').update(readFileSync(full)).digest('hex');
		if (actual !== expected) throw new RestoreError(msg('errors.backup.checksum', { file: name }));
	}
	return manifest;
}

export interface RestoreResult {
	tables: number;
	rows: number;
}

/**
 * Rebuilds a backup into an empty store: migrates, checks, then inserts every table in foreign-key
 * order inside one transaction, so a failure anywhere leaves the store as it was.
 */
export async function restoreStore(db: Db, dir: string): Promise<RestoreResult> {
	const manifest = readManifest(dir);
	await migrate(db);
	const current = await schemaVersion(db);
	if (manifest.schemaVersion > current) {
		throw new RestoreError(msg('errors.backup.newer', { backup: manifest.schemaVersion, current }));
	}
	const tables = await userTables(db);
	const known = new Map(tables.map((t) => [t.name, t]));
	for (const t of manifest.tables) {
		if (!known.has(t.name))
			throw new RestoreError(msg('errors.backup.unknownTable', { table: t.name }));
	}
	// A migration fills reference tables (themes, statuses, counters); those are replaced. Tables
	// that hold an identity or serial column only fill through use: rows there mean real data.
	const used = await storeHasContent(
		db,
		tables.filter((t) => t.sequences.length > 0 || t.name === 'area').map((t) => t.name)
	);
	if (used) {
		throw new RestoreError(msg('errors.backup.notEmptyStore', { table: used }));
	}

	let rows = 0;
	await db.transaction(async (tx) => {
		// Like pg_restore --disable-triggers: counters and append-only guards must not fire while
		// rows return exactly as they were; parents still go before children.
		await tx.query(`SET LOCAL session_replication_role = replica`);
		for (const t of [...tables].reverse()) await tx.query(`DELETE FROM ${quoteIdent(t.name)}`);
		for (const entry of manifest.tables) {
			const t = known.get(entry.name)!;
			// Columns in both: a backup from an older schema leaves newer columns to their defaults.
			const cols = entry.columns.filter((c) => t.columns.includes(c));
			const list = cols.map(quoteIdent).join(', ');
			const insert = `INSERT INTO ${quoteIdent(t.name)} (${list}) ${t.identity ? 'OVERRIDING SYSTEM VALUE' : ''}
				SELECT ${list} FROM jsonb_populate_recordset(NULL::${quoteIdent(t.name)}, $1::jsonb)`;
			let batch: string[] = [];
			const flush = async () => {
				if (batch.length === 0) return;
				await tx.query(insert, [`[${batch.join(',')}]`]);
				rows += batch.length;
				batch = [];
			};
			const lines = createInterface({
				input: createReadStream(path.join(dir, entry.file), 'utf8'),
				crlfDelay: Infinity
			});
			let count = 0;
			for await (const line of lines) {
				if (!line.trim()) continue;
				batch.push(line);
				count++;
				if (batch.length >= BATCH) await flush();
			}
			await flush();
			if (count !== entry.rows)
				throw new RestoreError(
					msg('errors.backup.rows', { file: entry.file, count, expected: entry.rows })
				);
		}
		// Cell counts are derived from items and kept by triggers, which are off here: a backup
		// from before the table existed brings none, so count them again.
		if (!manifest.tables.some((t) => t.name === 'item_cell'))
			await tx.query('SELECT item_cell_rebuild()');
		for (const s of manifest.sequences) {
			const t = known.get(s.table);
			const seq = t?.sequences.find((x) => x.column === s.column)?.sequence;
			if (seq)
				await tx.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [
					seq,
					s.lastValue,
					s.isCalled
				]);
		}
	});
	return { tables: manifest.tables.length, rows };
}
