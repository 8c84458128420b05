import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAgendaImport } from '../agenda/import-cli.ts';
import { runUserCli } from '../auth/user-cli.ts';
import { exportStore } from '../backup/export.ts';
import { readManifest, RestoreError, restoreStore } from '../backup/restore.ts';
import { config } from '../config.ts';
import { openDb } from '../db/index.ts';
import type { Db } from '../db/types.ts';
import { writeUtrechtFixtures } from '../demo/fixtures-utrecht.ts';
import { runAddressesImport } from '../import/addresses.ts';
import { runAreasImport } from '../import/areas-cli.ts';
import { runCbsImport } from '../import/cbs-cli.ts';
import { progressBar } from '../import/cli.ts';
import { runItemsImport } from '../import/items.ts';
import { runPdokImport } from '../import/pdok.ts';
import { runPopulationImport } from '../import/population.ts';
import { buildAreaTiles, formatBytes } from '../tiles/build.ts';
import { commandEnv } from './context.ts';

/**
 * Every administrative command of the README (`npm run import|user|tiles|export|restore|
 * fixtures:utrecht`), by name. The scripts in scripts/ run them through cli.ts, which either
 * runs them here in the CLI's own process or hands them to the running portal: one code path.
 * Each returns its exit code; messages are Dutch and go through console.
 */
export type Command = (argv: string[]) => Promise<number>;
export type { CommandName } from './command-names.ts';
import type { CommandName } from './command-names.ts';

const imports: Record<string, Command> = {
	areas: runAreasImport,
	cbs: runCbsImport,
	pdok: runPdokImport,
	population: runPopulationImport,
	items: (argv) => runItemsImport(argv),
	agenda: runAgendaImport,
	addresses: (argv) => runAddressesImport(argv)
};

/** node:util parseArgs speaks English; the option it names is all the user needs. */
function argumentError(e: Error & { code?: string }): string | null {
	const option = e.message.match(/'(-[^' ]+)/)?.[1] ?? '';
	if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `onbekende optie ${option} (zie --help)`;
	if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
		return `optie ${option} heeft een waarde nodig (zie --help)`;
	if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `onverwacht argument (zie --help)`;
	return null;
}

async function runImport(argv: string[]): Promise<number> {
	const [kind, ...rest] = argv;
	const handler = kind ? imports[kind] : undefined;
	if (!handler) {
		console.error(
			`Fout: geef een soort import op: ${Object.keys(imports).join(', ')} (bijv. npm run import -- areas --help)`
		);
		return 2;
	}
	try {
		return await handler(rest);
	} catch (err) {
		const e = err as Error & { code?: string };
		// Errors from our own checks, the store and argument parsing are the user's to fix; show one line.
		console.error(`Fout: ${argumentError(e) ?? e.message.split('\n')[0]}`);
		if (e.message.includes('\n') && e.message.includes('gebruik:'))
			console.error(e.message.slice(e.message.indexOf('\n') + 1));
		if (config(commandEnv()).debug) console.error(e.stack);
		return 1;
	}
}

/** The store for one command (the portal's own when it runs there), closed afterwards. */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
	const db = await openDb();
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

/** One Dutch line for the user; the stack only with WIJKKAART_DEBUG. */
function report(err: unknown): void {
	console.error(`Fout: ${(err as Error).message.split('\n')[0]}`);
	if (config(commandEnv()).debug) console.error((err as Error).stack);
}

async function runTiles(): Promise<number> {
	try {
		const out = path.join(config().tilesDir, 'areas.pmtiles');
		await withDb(async (db) => {
			console.log(`Kaarttegels maken in ${out}…`);
			const r = await buildAreaTiles(db, out);
			console.log(
				`Klaar: ${r.tiles} tegels, ${formatBytes(r.bytes)}, in ${(r.ms / 1000).toFixed(1).replace('.', ',')} s.`
			);
		});
		return 0;
	} catch (err) {
		report(err);
		return 1;
	}
}

/** `export <map>` / `restore <map>`: the folder, or the usage line (exit 0 for --help, 2 without an argument). */
function folderArgument(argv: string[], usage: string): string | number {
	const dir = argv[0];
	if (dir && dir !== '--help' && dir !== '-h') return path.resolve(dir);
	console.error(usage);
	return dir ? 0 : 2;
}

async function runExport(argv: string[]): Promise<number> {
	const dir = folderArgument(
		argv,
		'gebruik: npm run export -- <map>   (schrijft een volledige back-up, met persoonsgegevens)'
	);
	if (typeof dir === 'number') return dir;
	try {
		const { manifest } = await withDb((db) => exportStore(db, dir));
		const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
		console.log(
			`Back-up geschreven naar ${dir}: ${manifest.tables.length} tabellen, ${rows} rijen, schemaversie ${manifest.schemaVersion}.`
		);
		console.log('Let op: de back-up bevat persoonsgegevens (zie README.txt in de map).');
		return 0;
	} catch (err) {
		report(err);
		return 2;
	}
}

async function runRestore(argv: string[]): Promise<number> {
	const dir = folderArgument(
		argv,
		'gebruik: npm run restore -- <map>   (alleen in een lege store)'
	);
	if (typeof dir === 'number') return dir;
	try {
		// Check every file before the store is even opened: a damaged back-up writes nothing.
		readManifest(dir);
		const { tables, rows } = await withDb((db) => restoreStore(db, dir));
		console.log(`Back-up teruggezet: ${tables} tabellen, ${rows} rijen.`);
		return 0;
	} catch (err) {
		report(err);
		return err instanceof RestoreError ? 2 : 1;
	}
}

async function runFixturesUtrecht(argv: string[]): Promise<number> {
	let values: { meldingen: string; seed?: string };
	try {
		values = parseArgs({
			args: argv,
			options: { meldingen: { type: 'string', default: '10000' }, seed: { type: 'string' } },
			allowPositionals: false
		}).values;
	} catch (err) {
		console.error(
			`Fout: ${argumentError(err as Error & { code?: string }) ?? (err as Error).message}`
		);
		return 2;
	}
	const meldingen = Number(values.meldingen);
	if (!Number.isInteger(meldingen) || meldingen < 0) {
		console.error(`Fout: --meldingen moet een geheel getal ≥ 0 zijn (kreeg "${values.meldingen}")`);
		return 1;
	}
	const seed = values.seed === undefined ? undefined : Number(values.seed);
	if (seed !== undefined && !Number.isInteger(seed)) {
		console.error(`Fout: --seed moet een geheel getal zijn (kreeg "${values.seed}")`);
		return 1;
	}
	const started = performance.now();
	const bar = progressBar('Utrechtse test-items');
	try {
		const res = await withDb((db) =>
			writeUtrechtFixtures(db, {
				meldingen,
				seed,
				onProgress: (done, total) => bar.update(done, total)
			})
		);
		bar.stop();
		console.log(
			`${res.written} Utrechtse test-items geschreven (${res.generated - res.written} buiten de gebieden) in ${Math.round(performance.now() - started)} ms.`
		);
		return 0;
	} catch (err) {
		bar.stop();
		report(err);
		return 1;
	}
}

export const COMMANDS: Record<CommandName, Command> = {
	import: runImport,
	user: (argv) => runUserCli(argv),
	tiles: runTiles,
	export: runExport,
	restore: runRestore,
	'fixtures:utrecht': runFixturesUtrecht
};
