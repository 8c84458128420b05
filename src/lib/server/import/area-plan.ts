import { msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import { readFileSync, statSync } from 'node:fs';
import { recordAudit, type Actor } from '../audit.ts';
import type { Db } from '../db/types.ts';
import type { FieldOverrides } from './area-fields.ts';
import {
	checkLevelName,
	importPreparedAreas,
	ImportError,
	prepareAreas,
	type AreaImportOptions,
	type AreaImportSummary,
	type PreparedAreas
} from './areas.ts';
import { planCbsLevels } from './cbs.ts';
import { collection, type SpatialFile, type SpatialFormat } from './formats/index.ts';

/**
 * The one import path for area files, shared by `npm run import -- areas|cbs` and the staff page
 * /beheer/import: read the file (formats/), plan the levels (pure, before the store is opened),
 * then write them all in one transaction, or write and roll back for a preview.
 */

export type AreaImportRequest =
	| { kind: 'cbs'; gemeente: string; year?: string | null }
	| {
			kind: 'areas';
			level: string;
			parentLevel?: string | null;
			layer?: string | null;
			fields?: FieldOverrides;
			strict?: boolean;
			skipInvalid?: boolean;
	  };

export interface PlannedLevel {
	layer: string;
	prepared: PreparedAreas;
	opts: AreaImportOptions;
	/** Attribute names of the layer, for a field mapping to choose from. */
	keys: string[];
}

export interface AreaPlan {
	format: SpatialFormat;
	source: string;
	layers: { name: string; count: number }[];
	levels: PlannedLevel[];
	/** Things the plan left out or derived, for the summary. */
	notes: Message[];
	gemeente: { code: string; name: string | null } | null;
}

export const FORMAT_LABEL: Record<SpatialFormat, { nl: string; en: string }> = {
	geojson: { nl: 'GeoJSON', en: 'GeoJSON' },
	gpkg: { nl: 'GeoPackage', en: 'GeoPackage' },
	shapezip: { nl: 'zip met shapefiles', en: 'zip of shapefiles' }
};

/** Reads a file for an import, refusing an oversized one before reading it. */
export function readImportFile(file: string, maxBytes: number): Uint8Array {
	try {
		if (statSync(file).size > maxBytes)
			throw new ImportError(
				msg('errors.import.fileTooLarge', { file, mb: Math.round(maxBytes / 1024 / 1024) })
			);
		return readFileSync(file);
	} catch (err) {
		if (err instanceof ImportError) throw err;
		throw new ImportError(
			msg('errors.import.unreadable', {
				file,
				reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message
			})
		);
	}
}

export async function planAreaImport(
	file: SpatialFile,
	req: AreaImportRequest,
	source: string,
	command: string
): Promise<AreaPlan> {
	const layers = file.layers.map((l) => ({ name: l.name, count: l.count }));
	if (req.kind === 'cbs') {
		const cbs = await planCbsLevels(file, req.gemeente, req.year ?? null);
		const levels = cbs.levels.map((l) => {
			const opts: AreaImportOptions = { ...l.opts, source, command };
			return { layer: l.layer, prepared: prepareAreas(l.input, opts), opts, keys: l.keys };
		});
		return {
			format: file.format,
			source,
			layers,
			levels,
			notes: cbs.notes,
			gemeente: cbs.gemeente
		};
	}
	checkLevelName(req.level);
	let layer = file.layers[0];
	if (req.layer) {
		const found = file.layers.find((l) => l.name === req.layer);
		if (!found)
			throw new ImportError(
				msg('errors.import.noLayer', {
					layer: req.layer,
					layers: file.layers.map((l) => l.name).join(', ')
				})
			);
		layer = found;
	} else if (file.layers.length > 1) {
		throw new ImportError(
			msg('errors.import.chooseLayer', {
				n: file.layers.length,
				layers: file.layers.map((l) => l.name).join(', ')
			})
		);
	}
	const opts: AreaImportOptions = {
		level: req.level,
		parentLevel: req.parentLevel ?? null,
		fields: req.fields,
		strict: req.strict,
		skipInvalid: req.skipInvalid,
		source,
		command
	};
	const input = collection(await layer.read(), layer.crs);
	return {
		format: file.format,
		source,
		layers,
		levels: [{ layer: layer.name, prepared: prepareAreas(input, opts), opts, keys: layer.fields }],
		notes: [],
		gemeente: null
	};
}

class RolledBack extends Error {
	constructor(readonly summaries: AreaImportSummary[]) {
		super('proefimport teruggedraaid');
	}
}

/** Where the portal says which municipality it shows, as the PDOK import does. */
export async function recordGemeente(
	sql: Pick<Db, 'query'>,
	gemeente: { code: string; name: string | null }
): Promise<void> {
	if (!gemeente.name) return;
	await sql.query(
		`INSERT INTO meta (key, value) VALUES ('gemeente', $1::jsonb), ('demo', 'false'::jsonb)
		 ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		[JSON.stringify({ code: gemeente.code, name: gemeente.name })]
	);
}

/**
 * Writes every planned level in one transaction. With dryRun the same writes run and are
 * rolled back, so a preview reports exactly what the import would do (parents, repairs).
 */
export async function runAreaPlan(
	db: Db,
	plan: AreaPlan,
	opts: { dryRun?: boolean; actor?: Actor; onProgress?: (done: number, total: number) => void } = {}
): Promise<AreaImportSummary[]> {
	const total = plan.levels.reduce((n, l) => n + l.prepared.areas.length, 0);
	try {
		return await db.transaction(async (tx) => {
			// importPreparedAreas opens a transaction of its own; inside this one it joins it instead.
			const joined: Db = {
				kind: db.kind,
				query: (text, params) => tx.query(text, params),
				exec: async (script) => void (await tx.query(script)),
				transaction: (fn) => fn(tx),
				close: async () => {}
			};
			const summaries: AreaImportSummary[] = [];
			let done = 0;
			for (const level of plan.levels) {
				const before = done;
				summaries.push(
					await importPreparedAreas(joined, level.prepared, {
						...level.opts,
						onProgress: (d) => opts.onProgress?.(before + d, total)
					})
				);
				done += level.prepared.areas.length;
			}
			if (plan.gemeente) await recordGemeente(tx, plan.gemeente);
			if (opts.actor) {
				await recordAudit(tx, {
					actor: opts.actor,
					action: 'import.upload',
					entity: 'area',
					entityId: summaries.map((s) => s.level).join(','),
					after: {
						file: plan.source,
						format: plan.format,
						gemeente: plan.gemeente?.code ?? null,
						levels: summaries.map((s) => ({
							level: s.level,
							imported: s.imported,
							replaced: s.replaced,
							repaired: s.repaired.length,
							rejected: s.rejected.length
						}))
					}
				});
			}
			if (opts.dryRun) throw new RolledBack(summaries);
			return summaries;
		});
	} catch (err) {
		if (err instanceof RolledBack) return err.summaries;
		throw err;
	}
}
