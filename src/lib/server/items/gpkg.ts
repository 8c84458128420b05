import type { ItemQuery } from '../../domain/filters.ts';
import type { Sql } from '../db/types.ts';
import { geoPackage, type GpkgColumn } from '../export/gpkg.ts';
import { allItems } from './csv.ts';
import { listItems, type ItemProperties } from './read.ts';

/** The GeoPackage's attribute columns: the CSV's, typed, with the shape itself as the geometry. */
function columns(levels: string[]): GpkgColumn<ItemProperties>[] {
	return [
		{ name: 'id', type: 'INTEGER', value: (p) => p.id },
		{ name: 'laag', type: 'TEXT', value: (p) => p.layer },
		{ name: 'titel', type: 'TEXT', value: (p) => p.title },
		{ name: 'thema', type: 'TEXT', value: (p) => p.theme },
		{ name: 'themas', type: 'TEXT', value: (p) => p.themes.join('|') },
		{ name: 'status', type: 'TEXT', value: (p) => p.status },
		{ name: 'categorie', type: 'TEXT', value: (p) => p.category },
		{ name: 'subcategorie', type: 'TEXT', value: (p) => p.subcategory },
		...levels.map((l): GpkgColumn<ItemProperties> => ({
			name: l,
			type: 'TEXT',
			value: (p) => p.areas[l] ?? null
		})),
		{ name: 'datum', type: 'DATETIME', value: (p) => p.date },
		{ name: 'aangemaakt', type: 'DATETIME', value: (p) => p.createdAt },
		{ name: 'bijgewerkt', type: 'DATETIME', value: (p) => p.updatedAt },
		{ name: 'begin', type: 'DATETIME', value: (p) => p.startsAt },
		{ name: 'eind', type: 'DATETIME', value: (p) => p.endsAt },
		{ name: 'termijn', type: 'DATETIME', value: (p) => p.dueAt },
		{ name: 'te_laat', type: 'BOOLEAN', value: (p) => (p.layer === 'meldingen' ? p.overdue : null) }
	];
}

/** Every item matching the query (or one page of it, with `limit`) as a GeoPackage. */
export async function itemsGeoPackage(
	db: Sql,
	query: ItemQuery,
	levels: string[]
): Promise<Uint8Array> {
	const batches = query.all
		? allItems(db, query)
		: (async function* () {
				yield (await listItems(db, query)).features;
			})();
	return geoPackage('wijkkaart_items', columns(levels), batches, 'Openbare items van Wijkkaart');
}
