import { msg, reasonOf } from '../../domain/errors.ts';
import { ImportError } from './import-error.ts';
import { recordAudit } from '../audit.ts';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ItemInput } from '../../domain/items.ts';
import { isLayer, LAYERS, type Layer } from '../../domain/layers.ts';
import { crsFromMember, looksLikeRd, looksLikeWgs84, type Crs } from '../../geo/rd.ts';
import { findTheme, themeIds, type Taxonomy } from '../../domain/themes.ts';
import { openDb } from '../db/index.ts';
import type { Db, Sql } from '../db/types.ts';
import { syncTaxonomy, taxonomy } from '../items/taxonomy.ts';
import { insertItems } from '../items/write.ts';
import { progressBar } from './cli.ts';
import { parseCsv } from './items-csv.ts';
import {
	fieldMapping,
	titleSource,
	toItem,
	type MapOptions,
	type SourceRecord
} from './items-map.ts';
import { config } from '../config.ts';

export const ITEMS_USAGE = `gebruik: npm run import -- items --layer <${LAYERS.join('|')}> [--theme <thema-id>] [--field veld=kolom …] <bestand.geojson|bestand.csv>

  Voegt items van één laag toe, in één transactie: bij een fout verandert er niets.
  GeoJSON: Point/LineString/Polygon in WGS84 of RD New. CSV (, ; of tab, met of zonder BOM):
  kolommen lat/lon of RD x/y.
  Herkende kolommen: titel/naam/title, omschrijving/description, status/fase, thema/theme,
  themas (neventhema's), categorie/subcategorie (meldingen), datum/created_at,
  start/eind (bijeenkomsten) en de velden van de laag (bijv. fonds, aangevraagd_bedrag,
  start_gepland, afdeling, participatie, locatie, adres, verslag).
  Zonder titelkolom wordt de titel afgeleid: categorie of thema + datum en/of nummer
  (kenmerk/id), anders het begin van de omschrijving; de samenvatting zegt welke.
  --theme   één thema voor alle rijen; --field veld=kolom  wijst een kolom toe aan een veld.
  De gebieden van elk item bepaalt de database; items buiten de gemeente worden overgeslagen.`;

export interface ItemsImportSummary {
	file: string;
	layer: Layer;
	read: number;
	inserted: number;
	/** Records outside every area, by reference in the file ("regel 12"). */
	outside: string[];
	/** Items per area of the coarsest level: code, name, count. */
	perArea: { code: string; name: string; count: number }[];
	/** How titles were made for a file without a title column; null when it has one. */
	titles: string | null;
}

/** Largest import file (config: WIJKKAART_MAX_IMPORT_MB): the whole file is parsed in memory. */
export function maxImportBytes(): number {
	return config().itemImportMaxBytes;
}

/** Reads a CSV or GeoJSON file into source records. */
export function readRecords(file: string): SourceRecord[] {
	let text: string;
	try {
		const limit = maxImportBytes();
		const size = statSync(file).size;
		if (size > limit) {
			throw new ImportError(
				msg('errors.import.itemsTooLarge', {
					file: path.basename(file),
					mb: Math.ceil(size / 1024 / 1024),
					max: limit / 1024 / 1024
				})
			);
		}
		const bytes = readFileSync(file);
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch (err) {
		// Our own refusal (too large) carries a catalogue code, not an fs error code: pass it on.
		if (err instanceof ImportError) throw err;
		if (
			err instanceof TypeError &&
			(err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA'
		) {
			throw new ImportError(msg('errors.import.notUtf8', { file: path.basename(file) }));
		}
		if ((err as NodeJS.ErrnoException).code)
			throw new ImportError(
				msg('errors.import.cannotRead', { file, reason: (err as NodeJS.ErrnoException).code! })
			);
		throw err;
	}
	if (/\.csv$/i.test(file)) {
		return parseCsv(text).rows.map((r) => ({
			ref: `regel ${r.line}`,
			props: r.cells,
			geometry: null
		}));
	}
	if (/\.(geo)?json$/i.test(file)) {
		let json: { type?: string; features?: unknown[] };
		try {
			json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
		} catch (err) {
			throw new ImportError(
				msg('errors.import.fileJson', { file: path.basename(file), reason: (err as Error).message })
			);
		}
		if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
			throw new ImportError(msg('errors.import.fileCollection', { file: path.basename(file) }));
		}
		const declared = crsFromMember((json as { crs?: unknown }).crs);
		return json.features.map((f, i) => {
			if (!f || typeof f !== 'object' || Array.isArray(f))
				throw new ImportError(msg('errors.import.featureObject', { n: i + 1 }));
			const feat = f as {
				properties?: Record<string, unknown> | null;
				geometry?: SourceRecord['geometry'];
			};
			if (declared === 'wgs84' || declared === 'rd')
				checkDeclaredCrs(feat.geometry, declared, `feature ${i + 1}`);
			return {
				ref: `feature ${i + 1}`,
				props: feat.properties ?? {},
				geometry: feat.geometry ?? null
			};
		});
	}
	throw new ImportError(
		path.extname(file)
			? msg('errors.import.fileType', { ext: path.extname(file) })
			: msg('errors.import.fileTypeNone')
	);
}

/** A file that names its coordinate system must hold coordinates of that system; RD read as degrees lands in the sea. */
function checkDeclaredCrs(geometry: unknown, declared: Crs, ref: string): void {
	let p: unknown = (geometry as { coordinates?: unknown } | null)?.coordinates;
	while (Array.isArray(p) && Array.isArray(p[0])) p = p[0];
	if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return;
	const [x, y] = p as [number, number];
	const fits =
		declared === 'wgs84' ? looksLikeWgs84([x, y]) : looksLikeRd([x, y]) && !looksLikeWgs84([x, y]);
	if (!fits) {
		const name = declared === 'wgs84' ? 'WGS84 (lengte/breedte)' : 'RD New (EPSG:28992)';
		throw new ImportError(msg('errors.import.crsMismatch', { ref, x, y, crs: name }));
	}
}

/**
 * Maps every record or throws on the first bad one, naming it. `titles` says how titles were
 * derived when the file has no title column (null when it has one).
 */
export function mapRecords(
	records: SourceRecord[],
	opts: MapOptions,
	tax: Taxonomy,
	label: string
): { items: ItemInput[]; titles: string | null } {
	if (records.length === 0) throw new ImportError(msg('errors.import.noRows', { label }));
	const columns = [...new Set(records.flatMap((r) => Object.keys(r.props)))];
	const mapping = fieldMapping(columns, opts);
	// The same kenmerk twice in one file is a copy-paste slip, not two items.
	const seen = new Map<string, string>();
	const items = records.map((rec) => {
		let item: ItemInput;
		try {
			item = toItem(rec, mapping, opts, tax);
		} catch (err) {
			throw new ImportError(msg('errors.import.row', { label, ref: rec.ref, what: reasonOf(err) }));
		}
		if (item.externalId) {
			const first = seen.get(item.externalId);
			if (first)
				throw new ImportError(
					msg('errors.import.row', {
						label,
						ref: rec.ref,
						what: msg('errors.import.externalIdTwice', { id: item.externalId, other: first })
					})
				);
			seen.set(item.externalId, rec.ref);
		}
		return item;
	});
	return { items, titles: titleSource(mapping) };
}

/**
 * Writes mapped items in one transaction (all or nothing) and logs the import. Items outside
 * every area are skipped and reported; an import in which nothing lands is an error.
 */
export async function importItems(
	db: Db,
	items: ItemInput[],
	refs: string[],
	opts: {
		layer: Layer;
		source: string;
		tax?: Taxonomy;
		titles?: string | null;
		onProgress?: (done: number) => void;
	}
): Promise<ItemsImportSummary> {
	return db.transaction(async (tx) => {
		await syncTaxonomy(tx, opts.tax ?? taxonomy());
		const res = await insertItems(tx, items, { source: opts.source, onProgress: opts.onProgress });
		if (res.inserted === 0) {
			throw new ImportError(msg('errors.import.itemsOutside', { n: items.length }));
		}
		const summary: ItemsImportSummary = {
			file: opts.source,
			layer: opts.layer,
			read: items.length,
			inserted: res.inserted,
			outside: res.outside.map((i) => refs[i]),
			perArea: await perArea(
				tx,
				res.ids.filter((id): id is number => id !== null)
			),
			titles: opts.titles ?? null
		};
		await tx.query(
			`INSERT INTO import_log (kind, target, source, summary) VALUES ('items', $1, $2, $3::jsonb)`,
			[
				opts.layer,
				opts.source,
				JSON.stringify({
					read: summary.read,
					inserted: summary.inserted,
					outside: summary.outside.length,
					perArea: summary.perArea,
					titles: summary.titles
				})
			]
		);
		await recordAudit(tx, {
			actor: { kind: 'import', command: 'items' },
			action: 'import.items',
			entity: 'item',
			entityId: opts.layer,
			after: {
				file: opts.source,
				layer: opts.layer,
				read: summary.read,
				inserted: summary.inserted,
				outside: summary.outside.length,
				perArea: summary.perArea
			}
		});
		return summary;
	});
}

async function perArea(tx: Sql, ids: number[]) {
	return tx.query<{ code: string; name: string; count: number }>(
		`WITH top AS (SELECT name FROM area_level ORDER BY depth LIMIT 1)
		 SELECT a.code, a.name, count(*)::int AS count
		 FROM item i JOIN area a ON a.level = (SELECT name FROM top) AND a.code = i.areas ->> a.level
		 WHERE i.id = ANY($1::bigint[]) GROUP BY a.code, a.name ORDER BY a.code`,
		[ids]
	);
}

/**
 * `npm run import -- items …`: returns the exit code. Opens the configured store unless one
 * is given (tests, or a dispatcher that already holds it).
 */
export async function runItemsImport(argv: string[], deps: { db?: Db } = {}): Promise<number> {
	let own: Db | null = null;
	try {
		const { values, positionals } = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				layer: { type: 'string' },
				theme: { type: 'string' },
				field: { type: 'string', multiple: true },
				help: { type: 'boolean', short: 'h' }
			}
		});
		if (values.help) {
			console.log(ITEMS_USAGE);
			return 0;
		}
		const layer = values.layer;
		if (!layer || !isLayer(layer)) {
			throw new ImportError(
				layer
					? msg('errors.import.cliLayer', { layer, allowed: LAYERS.join(', '), usage: ITEMS_USAGE })
					: msg('errors.import.cliNoLayer', { allowed: LAYERS.join(', '), usage: ITEMS_USAGE })
			);
		}
		if (positionals.length !== 1)
			throw new ImportError(msg('errors.import.cliOneFile', { usage: ITEMS_USAGE }));
		const file = positionals[0];
		const tax = taxonomy();
		let theme: string | null = null;
		if (values.theme) {
			theme = findTheme(tax, values.theme)?.id ?? null;
			if (!theme)
				throw new ImportError(
					msg('errors.import.theme', { value: values.theme, allowed: themeIds(tax).join(', ') })
				);
		}
		const fields: Record<string, string> = {};
		for (const f of values.field ?? []) {
			const m = /^([^=]+)=(.+)$/.exec(f);
			if (!m) throw new ImportError(msg('errors.import.fieldForm', { value: f }));
			fields[m[1].trim()] = m[2].trim();
		}
		const label = path.basename(file);
		const records = readRecords(file);
		const { items, titles } = mapRecords(records, { layer, theme, fields }, tax, label);

		const db = deps.db ?? (own = await openDb());
		const bar = progressBar(`Items (${layer})`);
		const summary = await importItems(
			db,
			items,
			records.map((r) => r.ref),
			{
				layer,
				source: label,
				tax,
				titles,
				onProgress: (n) => bar.update(n, items.length)
			}
		).finally(() => bar.stop());
		console.log(formatSummary(summary));
		return 0;
	} catch (err) {
		console.error(`Fout: ${(err as Error).message}`);
		return 1;
	} finally {
		await own?.close();
	}
}

export function formatSummary(s: ItemsImportSummary): string {
	const lines = [`${s.inserted} ${s.layer} geïmporteerd uit ${s.file} (${s.read} gelezen).`];
	if (s.titles) lines.push(`Geen titelkolom; titels ${s.titles}.`);
	for (const a of s.perArea) lines.push(`  ${a.code.padEnd(8)} ${a.name.padEnd(32)} ${a.count}`);
	if (s.outside.length) {
		const shown = s.outside.slice(0, 10).join(', ');
		lines.push(
			`${s.outside.length} buiten de gemeente overgeslagen: ${shown}${s.outside.length > 10 ? ', …' : ''}`
		);
	}
	return lines.join('\n');
}
