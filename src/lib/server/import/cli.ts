import path from 'node:path';
import cliProgress from 'cli-progress';
import { inCommand } from '../admin/context.ts';
import { config } from '../config.ts';
import type { Db } from '../db/types.ts';
import { messageText, type Lang } from '../../i18n/localize.ts';
import { FORMAT_LABEL, type AreaPlan } from './area-plan.ts';
import type { AreaImportSummary } from './areas.ts';

/**
 * A progress bar on a terminal; in a file or CI log one line per tenth, so a watcher (or a test
 * that interrupts an import) can see that writing has begun.
 */
export function progressBar(title: string): {
	update(done: number, total: number): void;
	stop(): void;
} {
	// Inside the running portal (admin/channel.ts) the lines go back to the CLI, not to a terminal.
	if (!process.stdout.isTTY || inCommand()) {
		let shown = 0;
		return {
			update(done, total) {
				const tenth = Math.floor((done / Math.max(total, 1)) * 10);
				if (tenth > shown && done < total) console.log(`${title}: ${done}/${total} geschreven`);
				shown = Math.max(shown, tenth);
			},
			stop() {}
		};
	}
	const bar = new cliProgress.SingleBar(
		{ format: `${title} [{bar}] {value}/{total}`, hideCursor: true },
		cliProgress.Presets.shades_classic
	);
	let started = false;
	return {
		update(done, total) {
			if (!started) bar.start(total, 0);
			started = true;
			bar.update(done);
		},
		stop() {
			if (started) bar.stop();
		}
	};
}

export function formatAreaSummary(s: AreaImportSummary, ms: number): string {
	const lines = [
		`${s.imported} gebieden op niveau "${s.level}" geïmporteerd in ${(ms / 1000).toFixed(1)} s` +
			(s.replaced ? ` (vervangt ${s.replaced})` : '') +
			` — coördinaten: ${s.crs === 'rd' ? 'RD New (EPSG:28992), omgerekend naar WGS84' : 'WGS84'}`,
		`  velden: code=${s.fields.code ?? '(afgeleid van naam)'}, naam=${s.fields.name ?? '-'}, inwoners=${s.fields.population ?? '-'}` +
			(s.parentLevel ? `, ouder=${s.fields.parent ?? '(ruimtelijk)'}` : '')
	];
	if (s.parentLevel) {
		lines.push(
			`  ouders (${s.parentLevel}): ${s.parents.fromProperty} uit eigenschap, ${s.parents.spatial} ruimtelijk bepaald, ${s.parents.none} zonder ouder`
		);
	}
	lines.push(`  hersteld: ${s.repaired.length}, overgeslagen: ${s.rejected.length}`);
	for (const r of [...s.repaired, ...s.rejected].slice(0, 10))
		lines.push(`    ${messageText('nl', r.code, r.params)}`);
	if (s.orphanedChildren)
		lines.push(
			`  let op: ${s.orphanedChildren} fijnere gebieden verwijzen naar een code die niet meer bestaat`
		);
	return lines.join('\n');
}

/** What was read from a file before anything is written: format, layers, municipality, what was left out. */
export function formatPlan(plan: AreaPlan): string {
	const used = new Set(plan.levels.map((l) => l.layer));
	const lines = [
		`${FORMAT_LABEL[plan.format].nl}: ${plan.layers.map((l) => `${l.name} (${l.count})${used.has(l.name) ? ' ✓' : ''}`).join(', ')}`
	];
	if (plan.gemeente) {
		lines.push(
			`gemeente ${plan.gemeente.code}${plan.gemeente.name ? ` (${plan.gemeente.name})` : ''}: ${plan.levels.map((l) => `${l.prepared.areas.length} ${l.opts.level === 'wijk' ? 'wijken' : l.opts.level === 'buurt' ? 'buurten' : l.opts.level}`).join(', ')}; andere gemeenten in het bestand blijven buiten beschouwing`
		);
	}
	for (const n of plan.notes) lines.push(`  ${messageText('nl', n.code, n.params)}`);
	return lines.join('\n');
}

/** Area changes show on the map only after the tiles are rebuilt. */
export async function rebuildTiles(db: Db, lang: Lang = 'nl'): Promise<string> {
	const { buildAreaTiles } = await import('../tiles/build.ts');
	const r = await buildAreaTiles(db, path.join(config().tilesDir, 'areas.pmtiles'));
	return messageText(lang, 'errors.import.tilesBuilt', {
		tiles: r.tiles,
		kb: (r.bytes / 1024).toFixed(0)
	});
}
