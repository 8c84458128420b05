import type { Feature, Geometry } from 'geojson';
import { csvLine } from '../../domain/csv.ts';
import type { ItemProperties } from './read.ts';

export { csvCell, csvLine } from '../../domain/csv.ts';

/** Items as CSV, one column per area level (coarsest first) and the representative lon/lat. */
export function itemsCsv(features: Feature<Geometry, ItemProperties>[], levels: string[]): string {
	const head = [
		'id', 'layer', 'title', 'theme', 'themes', 'status', 'category', 'subcategory',
		...levels, 'date', 'created_at', 'updated_at', 'starts_at', 'ends_at', 'due_at', 'overdue', 'lon', 'lat'
	];
	let out = csvLine(head);
	for (const f of features) {
		const p = f.properties;
		const [lon, lat] = anchor(f.geometry);
		out += csvLine([
			p.id, p.layer, p.title, p.theme, p.themes.join('|'), p.status, p.category, p.subcategory,
			...levels.map((l) => p.areas[l] ?? ''),
			p.date, p.createdAt, p.updatedAt, p.startsAt, p.endsAt, p.dueAt, p.layer === 'meldingen' ? p.overdue : '', lon, lat
		]);
	}
	return out;
}

/** A point to put in a spreadsheet: the point itself, or the first vertex of a shape. */
function anchor(g: Geometry): [number | string, number | string] {
	let c: unknown = 'coordinates' in g ? g.coordinates : null;
	while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
	return Array.isArray(c) ? [c[0] as number, c[1] as number] : ['', ''];
}
