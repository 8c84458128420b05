import type { Feature, Geometry } from 'geojson';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { envelope, toWkb } from '../../geo/wkb.ts';

/**
 * A GeoPackage (OGC 12-128r18) with one feature table, written with sql.js (SQLite in WASM):
 * geometries as GeoPackage binary (header + WKB) in WGS84, attributes as typed columns.
 */

let sqlJs: Promise<SqlJsStatic> | null = null;

const WGS84 =
	'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
	'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

export type GpkgType = 'INTEGER' | 'REAL' | 'TEXT' | 'BOOLEAN' | 'DATETIME';
export interface GpkgColumn<P> {
	name: string;
	type: GpkgType;
	value: (p: P) => string | number | boolean | null | undefined;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** GeoPackage binary geometry: "GP", version 0, flags (little-endian, xy envelope), srs_id, envelope, WKB. */
export function gpkgGeometry(g: Geometry, srsId = 4326): Uint8Array {
	const wkb = toWkb(g);
	const out = new Uint8Array(8 + 32 + wkb.length);
	const v = new DataView(out.buffer);
	out.set([0x47, 0x50, 0, 0b0000_0011]);
	v.setInt32(4, srsId, true);
	const [minX, minY, maxX, maxY] = envelope(g);
	[minX, maxX, minY, maxY].forEach((n, i) => v.setFloat64(8 + 8 * i, n, true));
	out.set(wkb, 40);
	return out;
}

export async function geoPackage<P>(
	table: string,
	columns: GpkgColumn<P>[],
	batches: AsyncIterable<Feature<Geometry, P>[]>,
	description = ''
): Promise<Uint8Array> {
	sqlJs ??= initSqlJs();
	const SQL = await sqlJs;
	const db = new SQL.Database();
	try {
		db.run(`PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;`);
		db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
			organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
		const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
		srs.run([
			'Undefined cartesian SRS',
			-1,
			'NONE',
			-1,
			'undefined',
			'undefined cartesian coordinate reference system'
		]);
		srs.run([
			'Undefined geographic SRS',
			0,
			'NONE',
			0,
			'undefined',
			'undefined geographic coordinate reference system'
		]);
		srs.run([
			'WGS 84 geodetic',
			4326,
			'EPSG',
			4326,
			WGS84,
			'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'
		]);
		srs.free();
		db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
			description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
			min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id))`);
		db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
			srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name),
			FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);
		db.run(
			`CREATE TABLE ${ident(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, ${columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`
		);
		const insert = db.prepare(
			`INSERT INTO ${ident(table)} (geom, ${columns.map((c) => ident(c.name)).join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`
		);
		const box = [Infinity, Infinity, -Infinity, -Infinity];
		db.run('BEGIN');
		for await (const batch of batches) {
			for (const f of batch) {
				const [a, b, c, d] = envelope(f.geometry);
				box[0] = Math.min(box[0], a);
				box[1] = Math.min(box[1], b);
				box[2] = Math.max(box[2], c);
				box[3] = Math.max(box[3], d);
				insert.run([
					gpkgGeometry(f.geometry),
					...columns.map((c) => {
						const v = c.value(f.properties);
						return v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
					})
				]);
			}
		}
		db.run('COMMIT');
		insert.free();
		const empty = box[0] === Infinity;
		db.run(
			`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)`,
			[table, table, description, ...(empty ? [null, null, null, null] : box)]
		);
		db.run(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', 4326, 0, 0)`, [table]);
		return db.export();
	} finally {
		db.close();
	}
}
