import type { Feature, Geometry } from 'geojson';
import { CSV_BOM, csvLine, type CsvDialect } from '../../domain/csv.ts';
import type { ItemQuery } from '../../domain/filters.ts';
import { toWkt } from '../../geo/wkt.ts';
import type { Sql } from '../db/types.ts';
import { listItems, type ItemProperties } from './read.ts';

export { cell, csvCell, csvLine } from '../../domain/csv.ts';

/** Header of the items CSV: one column per area level (coarsest first), a point and the whole shape as WKT. */
export function itemsCsvHeader(levels: string[], dialect: CsvDialect): string {
	return csvLine(
		[
			'id',
			'laag',
			'titel',
			'thema',
			'themas',
			'status',
			'categorie',
			'subcategorie',
			...levels,
			'datum',
			'aangemaakt',
			'bijgewerkt',
			'begin',
			'eind',
			'termijn',
			'te_laat',
			'lon',
			'lat',
			'geometrie_wkt'
		],
		dialect
	);
}

export function itemsCsvRows(
	features: Feature<Geometry, ItemProperties>[],
	levels: string[],
	dialect: CsvDialect
): string {
	let out = '';
	for (const f of features) {
		const p = f.properties;
		const [lon, lat] = anchor(f.geometry);
		out += csvLine(
			[
				p.id,
				p.layer,
				p.title,
				p.theme,
				p.themes.join('|'),
				p.status,
				p.category,
				p.subcategory,
				...levels.map((l) => p.areas[l] ?? null),
				p.date,
				p.createdAt,
				p.updatedAt,
				p.startsAt,
				p.endsAt,
				p.dueAt,
				p.layer === 'meldingen' ? p.overdue : null,
				lon,
				lat,
				toWkt(f.geometry)
			],
			dialect
		);
	}
	return out;
}

/** Items as one CSV text (a page of them); the download link streams with itemsCsvStream. */
export function itemsCsv(
	features: Feature<Geometry, ItemProperties>[],
	levels: string[],
	dialect: CsvDialect
): string {
	return CSV_BOM + itemsCsvHeader(levels, dialect) + itemsCsvRows(features, levels, dialect);
}

/** Rows read per query while streaming a whole download. */
export const EXPORT_BATCH = 2000;

/**
 * Every item matching the query, however many, read in keyset batches and written as they come,
 * so a full download neither stops at a page nor holds everything in memory.
 */
export function allItems(
	db: Sql,
	query: ItemQuery
): AsyncGenerator<Feature<Geometry, ItemProperties>[]> {
	return (async function* () {
		let after = query.after;
		for (;;) {
			const page = await listItems(db, { ...query, limit: EXPORT_BATCH, after, count: false });
			if (page.features.length) yield page.features;
			if (!page.next) return;
			after = page.features[page.features.length - 1].properties.id;
		}
	})();
}

export function itemsCsvStream(
	db: Sql,
	query: ItemQuery,
	levels: string[],
	dialect: CsvDialect
): ReadableStream<Uint8Array> {
	const enc = new TextEncoder();
	const batches = allItems(db, query);
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(enc.encode(CSV_BOM + itemsCsvHeader(levels, dialect)));
				return;
			}
			const next = await batches.next();
			if (next.done) controller.close();
			else controller.enqueue(enc.encode(itemsCsvRows(next.value, levels, dialect)));
		},
		async cancel() {
			await batches.return(undefined);
		}
	});
}

/** A point to put in a spreadsheet: the point itself, or the first vertex of a shape. */
function anchor(g: Geometry): [number | null, number | null] {
	let c: unknown = 'coordinates' in g ? g.coordinates : null;
	while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
	return Array.isArray(c) ? [c[0] as number, c[1] as number] : [null, null];
}
