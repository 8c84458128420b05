import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import type { Db } from '../../src/lib/server/db/types.ts';
import { SHARED_UTRECHT } from '../helpers/db.ts';

const read = (f: string) =>
	JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8')) as FeatureCollection<
		Polygon,
		Record<string, string>
	>;

/**
 * Utrecht's wijken and buurten straight into the store with plain SQL, so the tile tests do
 * not depend on the import pipeline.
 */
export async function insertUtrechtAreas(db: Db): Promise<{ wijken: number; buurten: number }> {
	const wijken = read('wijk.geojson').features;
	const buurten = read('buurt.geojson').features;
	await db.transaction(async (tx) => {
		await tx.query(
			`INSERT INTO area_level (name, depth, label_nl, label_en) VALUES ('wijk', 0, 'Wijk', 'District'), ('buurt', 1, 'Buurt', 'Neighbourhood')`
		);
		const insert = `INSERT INTO area (level, code, name, parent, geom)
		                VALUES ($1, $2, $3, $4, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)))`;
		for (const f of wijken)
			await tx.query(insert, [
				'wijk',
				f.properties.KODE,
				f.properties.NAAM,
				null,
				JSON.stringify(f.geometry)
			]);
		for (const f of buurten) {
			await tx.query(insert, [
				'buurt',
				f.properties.KODE,
				f.properties.NAAM,
				f.properties.WIJKKODE,
				JSON.stringify(f.geometry)
			]);
		}
	});
	return { wijken: wijken.length, buurten: buurten.length };
}
