import { msg } from '../../../domain/errors.ts';
import type { Feature } from 'geojson';
import { unzipSync } from 'fflate';
import * as shapefile from 'shapefile';
import { ImportError } from '../areas.ts';
import { crsFromEpsgOrWkt } from './crs.ts';
import type { SpatialFile, SpatialLayer } from './types.ts';

/**
 * A zip of ESRI shapefiles (the CBS Wijk- en Buurtkaart until 2020): every .shp with its .dbf
 * is a layer, named after the file. .prj gives the coordinate system, .cpg the text encoding
 * of the .dbf. Unzipped with fflate, read with `shapefile` (both pure JavaScript).
 */

const WANTED = /\.(shp|dbf|prj|cpg)$/i;

export function isZip(bytes: Uint8Array): boolean {
	return (
		bytes.length > 4 &&
		bytes[0] === 0x50 &&
		bytes[1] === 0x4b &&
		bytes[2] === 0x03 &&
		bytes[3] === 0x04
	);
}

/** The .cpg names a code page in several spellings; TextDecoder wants a WHATWG label. */
export function encodingFromCpg(cpg: string | null, dbf: Uint8Array): string {
	const c = (cpg ?? '')
		.trim()
		.toUpperCase()
		.replace(/^ANSI\s+/, '');
	if (/^UTF-?8$/.test(c)) return 'utf-8';
	if (/^(CP|WINDOWS-?)?1252$/.test(c)) return 'windows-1252';
	if (/^(ISO[-_ ]?)?8859[-_]1$|^ISO88591$|^LATIN1$/.test(c)) return 'iso-8859-1';
	if (c) {
		try {
			return new TextDecoder(c.toLowerCase()).encoding;
		} catch {
			throw new ImportError(msg('errors.import.cpg', { cpg: cpg ?? '' }));
		}
	}
	// No .cpg: UTF-8 if the bytes are valid UTF-8, otherwise the Windows code page older exports use.
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(dbf);
		return 'utf-8';
	} catch {
		return 'windows-1252';
	}
}

export async function readShapeZip(bytes: Uint8Array, maxUnzipped: number): Promise<SpatialFile> {
	let files: Record<string, Uint8Array>;
	let total = 0;
	try {
		files = unzipSync(bytes, {
			filter: (f) => {
				if (!WANTED.test(f.name) || f.name.startsWith('__MACOSX/')) return false;
				total += f.originalSize;
				// A zip bomb is refused from its directory, before anything is inflated.
				if (total > maxUnzipped)
					throw new ImportError(
						msg('errors.import.zipTooLarge', { mb: Math.round(maxUnzipped / 1024 / 1024) })
					);
				return true;
			}
		});
	} catch (err) {
		if (err instanceof ImportError) throw err;
		throw new ImportError(msg('errors.import.zipUnreadable', { reason: (err as Error).message }));
	}
	const byBase = new Map<string, Partial<Record<'shp' | 'dbf' | 'prj' | 'cpg', Uint8Array>>>();
	for (const [name, data] of Object.entries(files)) {
		const ext = name.slice(-3).toLowerCase() as 'shp' | 'dbf' | 'prj' | 'cpg';
		const base = name.slice(0, -4);
		byBase.set(base, { ...byBase.get(base), [ext]: data });
	}
	const layers: SpatialLayer[] = [];
	for (const [base, parts] of [...byBase].sort(([a], [b]) => a.localeCompare(b))) {
		if (!parts.shp) continue;
		const name = base.split('/').pop()!;
		if (!parts.dbf) throw new ImportError(msg('errors.import.noDbf', { name }));
		const encoding = encodingFromCpg(
			parts.cpg ? new TextDecoder().decode(parts.cpg) : null,
			parts.dbf
		);
		const prj = parts.prj ? new TextDecoder().decode(parts.prj) : null;
		let all: Feature[];
		try {
			const source = await shapefile.open(parts.shp, parts.dbf, { encoding });
			all = [];
			for (;;) {
				const r = await source.read();
				if (r.done) break;
				all.push(r.value as Feature);
			}
		} catch (err) {
			if (err instanceof ImportError) throw err;
			throw new ImportError(
				msg('errors.import.shpUnreadable', { name, reason: (err as Error).message })
			);
		}
		const fields = Object.keys(all[0]?.properties ?? {});
		const check = (field: string) => {
			if (!fields.includes(field))
				throw new ImportError(msg('errors.import.noColumn', { layer: name, field }));
		};
		layers.push({
			name,
			crs: crsFromEpsgOrWkt(null, prj),
			fields,
			count: all.length,
			async distinct(field) {
				check(field);
				const out = new Map<string, number>();
				for (const f of all) {
					const v = f.properties?.[field];
					if (v != null) out.set(String(v), (out.get(String(v)) ?? 0) + 1);
				}
				return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
			},
			async read(where) {
				if (!where) return all;
				check(where.field);
				const values = new Set(where.values);
				return all.filter((f) => values.has(String(f.properties?.[where.field])));
			}
		});
	}
	if (layers.length === 0) throw new ImportError(msg('errors.import.noShapefile'));
	return { format: 'shapezip', layers, close() {} };
}
