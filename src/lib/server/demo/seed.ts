import type { Db } from '../db/types.ts';
import { importAreasFromGeoJSON } from '../import/areas.ts';
import { generateDemoMunicipality } from './areas.ts';
import { seedDemoItems } from './items.ts';
import { seedAgendas } from '../agenda/demo.ts';
import { streetAddresses } from './addresses.ts';
import { importAddresses } from '../import/addresses.ts';

export interface DemoSeed {
	name: string;
	areas: number;
	items: number;
}

/**
 * A fresh clone must show a living map without any download: when the store holds no areas,
 * fill it with Voorbeeldstad through the same import path a user's files take.
 */
export async function seedDemoIfEmpty(db: Db): Promise<DemoSeed | null> {
	const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM area');
	if (n > 0) return null;
	const demo = generateDemoMunicipality();
	await importAreasFromGeoJSON(db, demo.wijken, {
		level: 'wijk',
		source: 'demo:Voorbeeldstad',
		command: 'demo'
	});
	await importAreasFromGeoJSON(db, demo.buurten, {
		level: 'buurt',
		parentLevel: 'wijk',
		source: 'demo:Voorbeeldstad',
		command: 'demo'
	});
	await db.query(
		`INSERT INTO meta (key, value) VALUES ('demo', 'true'::jsonb), ('gemeente', $1::jsonb)
		 ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		[JSON.stringify(demo.gemeente)]
	);
	const { items, streets } = await seedDemoItems(db);
	await seedAgendas(db, 'demo:Voorbeeldstad');
	// The search box needs streets: the ones the demo items lie on and name.
	await importAddresses(db, streetAddresses(streets), {
		source: 'demo:Voorbeeldstad',
		crs: 'wgs84',
		command: 'demo'
	});
	return {
		name: demo.gemeente.name,
		areas: demo.wijken.features.length + demo.buurten.features.length,
		items
	};
}
