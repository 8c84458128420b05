import path from 'node:path';
import type { Db } from '../../src/lib/server/db/types.ts';
import {
	importAddresses,
	mapAddresses,
	readAddressFile
} from '../../src/lib/server/import/addresses.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { SHARED_UTRECHT } from '../helpers/db.ts';

export const LICHTMASTEN = path.join(SHARED_UTRECHT, 'lichtmasten.geojson');

/** The Utrecht street index from the shared lichtmasten (street names and positions). */
export async function importUtrechtStreets(db: Db) {
	const { rows, crs } = mapAddresses(readAddressFile(LICHTMASTEN), 'lichtmasten.geojson');
	return importAddresses(db, rows, { source: 'lichtmasten.geojson', crs });
}

/** Builds what a SvelteKit handler receives, for calling routes in-process. */
export function event(
	db: Db,
	url: string,
	init: RequestInit & { params?: Record<string, string>; client?: string } = {}
) {
	const u = new URL(url, 'http://wijkkaart.test');
	return {
		url: u,
		params: init.params ?? {},
		request: new Request(u, init),
		locals: { db, user: null, lang: 'nl' },
		getClientAddress: () => init.client ?? '10.0.0.1'
	} as never;
}

/** One public item of each kind near a point, as staff or an import would make them. */
export async function publicItemsNear(db: Db, [lon, lat]: [number, number]) {
	return db.transaction(async (tx) => {
		await syncTaxonomy(tx);
		const at = (dx: number, dy: number) => ({
			type: 'Point' as const,
			coordinates: [lon + dx, lat + dy]
		});
		const soon = new Date(Date.now() + 7 * 86_400_000);
		const res = await insertItems(tx, [
			{
				layer: 'meldingen',
				title: 'Lamp kapot',
				description: 'Lantaarnpaal brandt niet',
				theme: 'openbare-ruimte',
				status: 'gemeld',
				category: 'straatverlichting',
				geometry: at(0.0002, 0)
			},
			{
				layer: 'projecten',
				title: 'Herinrichting straat',
				description: 'Nieuwe bestrating',
				theme: 'verkeer',
				status: 'uitvoering',
				geometry: at(0.004, 0.001)
			},
			{
				layer: 'bijeenkomsten',
				title: 'Buurtavond <b>groen</b>',
				description: 'Praat mee',
				theme: 'groen-water',
				status: 'gepland',
				startsAt: soon,
				endsAt: new Date(soon.getTime() + 7_200_000),
				geometry: at(-0.001, 0.0005),
				details: { location: 'Buurthuis' }
			},
			{
				layer: 'meldingen',
				title: 'Ver weg',
				description: 'Buiten de straal',
				theme: 'openbare-ruimte',
				status: 'gemeld',
				category: 'afval',
				geometry: at(0.02, 0.02)
			}
		]);
		return res.ids as number[];
	});
}
