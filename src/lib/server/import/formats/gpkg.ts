import { msg, reasonOf } from '../../../domain/errors.ts';
import { createRequire } from 'node:module';
import type { Feature, Geometry } from 'geojson';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import wkx from 'wkx';
import { ImportError } from '../areas.ts';
import { crsFromEpsgOrWkt } from './crs.ts';
import type { SpatialFile, SpatialLayer } from './types.ts';

/**
 * GeoPackage (the CBS Wijk- en Buurtkaart since 2021) read with sql.js: SQLite compiled to
 * WebAssembly, installed from npm and offline. Measured against @ngageoint/geopackage and
 * gdal3.js: see the README section "Import your own data".
 */
let sqlJs: ReturnType<typeof initSqlJs> | null = null;
function sql() {
	// The .wasm file ships in the package; resolve it on disk so a bundled server finds it too.
	sqlJs ??= initSqlJs({
		locateFile: (f: string) => createRequire(import.meta.url).resolve(`sql.js/dist/${f}`)
	});
	return sqlJs;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function rows(db: Database, text: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
	const st = db.prepare(text);
	try {
		st.bind(params);
		const out: Record<string, SqlValue>[] = [];
		while (st.step()) out.push(st.getAsObject());
		return out;
	} finally {
		st.free();
	}
}

/** Envelope sizes by the header's envelope indicator (GeoPackage 1.3, 2.1.3.1.1). */
const ENVELOPE = [0, 32, 48, 48, 64];

/** A GeoPackage geometry blob: "GP", version, flags, srs_id, envelope, then standard WKB. */
export function gpkgGeometry(blob: Uint8Array): Geometry | null {
	if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50)
		throw new ImportError(msg('errors.import.gpkgGeometry'));
	const flags = blob[3];
	if (flags & 0x10) return null;
	const envelope = ENVELOPE[(flags >> 1) & 7];
	if (envelope === undefined) throw new ImportError(msg('errors.import.gpkgEnvelope'));
	const wkb = Buffer.from(
		blob.buffer,
		blob.byteOffset + 8 + envelope,
		blob.byteLength - 8 - envelope
	);
	return wkx.Geometry.parse(wkb).toGeoJSON() as Geometry;
}

export function isGeoPackage(bytes: Uint8Array): boolean {
	return Buffer.from(bytes.subarray(0, 16)).toString('latin1') === 'SQLite format 3\0';
}

export async function readGeoPackage(bytes: Uint8Array): Promise<SpatialFile> {
	const SQL = await sql();
	let db: Database;
	let tables: Record<string, SqlValue>[];
	try {
		db = new SQL.Database(bytes);
		tables = rows(
			db,
			`SELECT c.table_name AS name, g.column_name AS geom, s.organization AS org, s.organization_coordsys_id AS epsg, s.definition AS wkt
			 FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
			 LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
			 WHERE c.data_type = 'features' ORDER BY c.table_name`
		);
	} catch (err) {
		throw new ImportError(msg('errors.import.gpkgUnreadable', { reason: (err as Error).message }));
	}
	if (tables.length === 0) throw new ImportError(msg('errors.import.gpkgEmpty'));
	const layers = tables.map((t): SpatialLayer => {
		const name = String(t.name);
		const geom = String(t.geom);
		const columns = rows(db, `PRAGMA table_info(${quote(name)})`);
		const fields = columns
			.filter((c) => c.name !== geom && Number(c.pk) !== 1)
			.map((c) => String(c.name));
		const epsg = String(t.org ?? '').toUpperCase() === 'EPSG' ? Number(t.epsg) : null;
		const [{ n }] = rows(db, `SELECT count(*) AS n FROM ${quote(name)}`);
		const checkField = (field: string) => {
			if (!fields.includes(field))
				throw new ImportError(msg('errors.import.noColumn', { layer: name, field }));
		};
		return {
			name,
			crs: crsFromEpsgOrWkt(epsg, t.wkt == null ? null : String(t.wkt)),
			fields,
			count: Number(n),
			async distinct(field) {
				checkField(field);
				const out = new Map<string, number>();
				for (const r of rows(
					db,
					`SELECT ${quote(field)} AS v, count(*) AS n FROM ${quote(name)} GROUP BY 1 ORDER BY 1`
				)) {
					if (r.v != null) out.set(String(r.v), Number(r.n));
				}
				return out;
			},
			async read(where) {
				if (where) checkField(where.field);
				const filter = where
					? ` WHERE ${quote(where.field)} IN (${where.values.map(() => '?').join(', ') || 'NULL'})`
					: '';
				const select = [geom, ...fields].map(quote).join(', ');
				return rows(db, `SELECT ${select} FROM ${quote(name)}${filter}`, where?.values ?? []).map(
					(r, i): Feature => {
						const blob = r[geom];
						let geometry: Geometry | null = null;
						if (blob instanceof Uint8Array) {
							try {
								geometry = gpkgGeometry(blob);
							} catch (err) {
								throw new ImportError(
									msg('errors.import.gpkgRow', { layer: name, row: i + 1, reason: reasonOf(err) })
								);
							}
						}
						const properties = Object.fromEntries(
							fields.map((f) => [f, r[f] instanceof Uint8Array ? null : r[f]])
						);
						return { type: 'Feature', properties, geometry: geometry as Geometry };
					}
				);
			}
		};
	});
	return { format: 'gpkg', layers, close: () => db.close() };
}
