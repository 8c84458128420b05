import { validateItem } from '../../domain/items.ts';
import type { Taxonomy } from '../../domain/themes.ts';
import type { Db } from '../db/types.ts';
import { syncTaxonomy } from '../items/taxonomy.ts';
import { insertItems, linkItems } from '../items/write.ts';
import type { GeneratedItems } from './item-generator.ts';

/**
 * Writes generated items through the same bulk path as an import, in one transaction, and
 * links them. Returns how many landed inside the areas.
 */
export async function writeGenerated(
	db: Db,
	generated: GeneratedItems,
	tax: Taxonomy,
	source: string,
	onProgress?: (done: number) => void
): Promise<number> {
	const items = generated.items.map((it) => validateItem(it, tax));
	return db.transaction(async (tx) => {
		await syncTaxonomy(tx, tax);
		const res = await insertItems(tx, items, { source, onProgress });
		await linkItems(
			tx,
			generated.links
				.map((l) => ({ from: res.ids[l.from], to: res.ids[l.to], kind: l.kind }))
				.filter(
					(l): l is { from: number; to: number; kind: string } => l.from !== null && l.to !== null
				)
		);
		return res.inserted;
	});
}
