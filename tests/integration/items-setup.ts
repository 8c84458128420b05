import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/lib/server/db/types.ts';
import { SHARED_UTRECHT } from '../helpers/db.ts';

/**
 * The Utrecht wijken and buurten, written with plain SQL so the item tests do not depend on
 * the area import.
 */
export async function insertUtrechtAreas(db: Db): Promise<void> {
	const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));
	const wijken = read('wijk.geojson');
	const buurten = read('buurt.geojson');
	await db.query(`INSERT INTO area_level (name, depth) VALUES ('wijk', 0), ('buurt', 1)`);
	const rows = [
		...wijken.features.map(
			(f: { properties: { KODE: string; NAAM: string }; geometry: unknown }) => [
				'wijk',
				f.properties.KODE,
				f.properties.NAAM,
				null,
				f.geometry
			]
		),
		...buurten.features.map(
			(f: { properties: { KODE: string; NAAM: string; WIJKKODE: string }; geometry: unknown }) => [
				'buurt',
				f.properties.KODE,
				f.properties.NAAM,
				f.properties.WIJKKODE,
				f.geometry
			]
		)
	];
	await db.query(
		`INSERT INTO area (level, code, name, parent, geom)
		 SELECT level, code, name, parent, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))
		 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(level, code, name, parent, g)`,
		[0, 1, 2, 3].map((k) => rows.map((r) => r[k])).concat([rows.map((r) => JSON.stringify(r[4]))])
	);
}
