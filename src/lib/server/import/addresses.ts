import { msg, reasonOf } from '../../domain/errors.ts';
import { ImportError } from './import-error.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Position } from 'geojson';
import { detectCrs, rdToWgs84 } from '../../geo/rd.ts';
import { recordAudit } from '../audit.ts';
import { openDb } from '../db/index.ts';
import type { Db } from '../db/types.ts';
import { checkAddress, insertAddresses, type AddressRecord } from '../residents/addresses.ts';
import { readFileSync } from 'node:fs';
import { parseCsv } from './items-csv.ts';
import { normaliseName, type SourceRecord } from './items-map.ts';

export const ADDRESSES_USAGE = `gebruik: npm run import -- addresses [--replace] <bestand.geojson|bestand.csv>

  Vult de adresindex van het zoekvak, in één transactie: bij een fout verandert er niets.
  Punten met straat, huisnummer, postcode en (optioneel) woonplaats; GeoJSON-punten of CSV
  met lat/lon of RD x/y, in WGS84 of RD New. Herkende kolommen: straat/straatnaam/
  openbareruimtenaam, huisnummer (+ huisletter/toevoeging), postcode, woonplaats/plaats.
  Een eerdere import uit een bestand met dezelfde naam wordt vervangen;
  --replace  vervangt de hele index.`;

const ALIASES: Record<string, string[]> = {
	street: [
		'straat',
		'straatnaam',
		'openbareruimtenaam',
		'openbare_ruimte',
		'openbare_ruimte_naam',
		'street',
		'street_name'
	],
	houseNumber: ['huisnummer', 'huisnr', 'house_number', 'housenumber', 'number'],
	letter: ['huisletter', 'letter'],
	addition: ['toevoeging', 'huisnummertoevoeging', 'addition'],
	postcode: ['postcode', 'postal_code', 'zip'],
	woonplaats: ['woonplaats', 'woonplaatsnaam', 'plaats', 'city'],
	lon: ['lon', 'lng', 'longitude'],
	lat: ['lat', 'latitude'],
	x: ['x', 'rd_x', 'x_rd'],
	y: ['y', 'rd_y', 'y_rd']
};

export interface AddressImportSummary {
	file: string;
	read: number;
	inserted: number;
	replaced: number;
	crs: 'wgs84' | 'rd';
	streets: number;
}

/** Maps source records to address records; throws on the first bad one, naming it. */
export function mapAddresses(
	records: SourceRecord[],
	label: string
): { rows: AddressRecord[]; crs: 'wgs84' | 'rd' } {
	if (records.length === 0) throw new ImportError(msg('errors.import.noRows', { label }));
	const columns = [...new Set(records.flatMap((r) => Object.keys(r.props)))];
	const byName = new Map(columns.map((c) => [normaliseName(c), c]));
	const col = (k: string) => ALIASES[k].map((a) => byName.get(a)).find(Boolean) ?? null;
	const mapping = Object.fromEntries(Object.keys(ALIASES).map((k) => [k, col(k)]));
	if (!mapping.street)
		throw new ImportError(
			msg('errors.import.addressStreet', { label, columns: columns.join(', ') })
		);
	const get = (r: SourceRecord, k: string) => {
		const c = mapping[k];
		const v = c ? r.props[c] : null;
		return v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim();
	};
	const positions: Position[] = records.map((r) => {
		if (r.geometry) {
			if (r.geometry.type !== 'Point')
				throw new ImportError(
					msg('errors.import.row', {
						label,
						ref: r.ref,
						what: msg('errors.import.addressPoint', { type: r.geometry.type })
					})
				);
			return r.geometry.coordinates;
		}
		const [lon, lat, x, y] = ['lon', 'lat', 'x', 'y'].map((k) => get(r, k));
		const num = (v: string) => Number(v.includes('.') ? v : v.replace(',', '.'));
		if (lon && lat) return [num(lon), num(lat)];
		if (x && y) return [num(x), num(y)];
		throw new ImportError(
			msg('errors.import.row', { label, ref: r.ref, what: msg('errors.import.addressNoLocation') })
		);
	});
	positions.forEach((p, i) => {
		if (!p.every(Number.isFinite))
			throw new ImportError(
				msg('errors.import.row', {
					label,
					ref: records[i].ref,
					what: msg('errors.import.addressNumber')
				})
			);
	});
	const crs = detectCrs(positions);
	const rows = records.map((r, i) => {
		const n = get(r, 'houseNumber');
		const rec = {
			street: get(r, 'street') ?? '',
			houseNumber: n
				? `${n}${get(r, 'letter') ?? ''}${get(r, 'addition') ? `-${get(r, 'addition')}` : ''}`
				: null,
			postcode: get(r, 'postcode'),
			woonplaats: get(r, 'woonplaats')
		};
		try {
			checkAddress(rec);
		} catch (err) {
			throw new ImportError(msg('errors.import.row', { label, ref: r.ref, what: reasonOf(err) }));
		}
		const [lon, lat] = crs === 'rd' ? rdToWgs84(positions[i]) : positions[i];
		return { ...rec, lon, lat };
	});
	return { rows, crs };
}

/** Replaces the addresses of this source (or all) and writes the new ones, atomically, audited. */
export async function importAddresses(
	db: Db,
	rows: AddressRecord[],
	opts: { source: string; replaceAll?: boolean; crs: 'wgs84' | 'rd'; command?: string }
): Promise<AddressImportSummary> {
	return db.transaction(async (tx) => {
		const removed = opts.replaceAll
			? await tx.query<{ id: number }>('DELETE FROM address RETURNING id')
			: await tx.query<{ id: number }>('DELETE FROM address WHERE source = $1 RETURNING id', [
					opts.source
				]);
		const inserted = await insertAddresses(tx, rows, opts.source);
		const [{ streets }] = await tx.query<{ streets: number }>(
			'SELECT count(DISTINCT street_norm)::int AS streets FROM address WHERE source = $1',
			[opts.source]
		);
		const summary: AddressImportSummary = {
			file: opts.source,
			read: rows.length,
			inserted,
			replaced: removed.length,
			crs: opts.crs,
			streets
		};
		await tx.query(
			`INSERT INTO import_log (kind, target, source, summary) VALUES ('addresses', 'address', $1, $2::jsonb)`,
			[opts.source, JSON.stringify(summary)]
		);
		await recordAudit(tx, {
			actor: { kind: 'import', command: opts.command ?? 'addresses' },
			action: 'import',
			entity: 'address',
			entityId: opts.source,
			after: summary
		});
		return summary;
	});
}

/**
 * Municipal exports are often Windows-1252 rather than UTF-8 (the Utrecht lichtmasten are):
 * text that is not valid UTF-8 is read as Windows-1252, so "à" stays "à".
 */
export function decodeExportText(buf: Uint8Array): string {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
	} catch {
		text = new TextDecoder('windows-1252').decode(buf);
	}
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads GeoJSON or CSV, decoded by decodeExportText. */
export function readAddressFile(file: string): SourceRecord[] {
	let buf: Buffer;
	try {
		buf = readFileSync(file);
	} catch (err) {
		throw new ImportError(
			msg('errors.import.cannotRead', {
				file,
				reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message
			})
		);
	}
	const text = decodeExportText(buf);
	const label = path.basename(file);
	if (/\.csv$/i.test(file))
		return parseCsv(text).rows.map((r) => ({
			ref: `regel ${r.line}`,
			props: r.cells,
			geometry: null
		}));
	if (!/\.(geo)?json$/i.test(file))
		throw new ImportError(
			path.extname(file)
				? msg('errors.import.fileType', { ext: path.extname(file) })
				: msg('errors.import.fileTypeNone')
		);
	let json: { type?: string; features?: unknown[] };
	try {
		json = JSON.parse(text);
	} catch (err) {
		throw new ImportError(
			msg('errors.import.fileJson', { file: label, reason: (err as Error).message })
		);
	}
	if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features))
		throw new ImportError(msg('errors.import.fileCollection', { file: label }));
	return json.features.map((f, i) => {
		const feat = f as {
			properties?: Record<string, unknown> | null;
			geometry?: SourceRecord['geometry'];
		};
		return {
			ref: `feature ${i + 1}`,
			props: feat.properties ?? {},
			geometry: feat.geometry ?? null
		};
	});
}

export async function runAddressesImport(argv: string[], deps: { db?: Db } = {}): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: { replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }
	});
	if (values.help) {
		console.log(ADDRESSES_USAGE);
		return 0;
	}
	if (positionals.length !== 1)
		throw new ImportError(msg('errors.import.cliOneFile', { usage: ADDRESSES_USAGE }));
	const file = positionals[0];
	const label = path.basename(file);
	const { rows, crs } = mapAddresses(readAddressFile(file), label);
	const db = deps.db ?? (await openDb());
	try {
		const s = await importAddresses(db, rows, { source: label, replaceAll: values.replace, crs });
		console.log(
			`${s.inserted} adrespunten (${s.streets} straten) geïmporteerd uit ${label}` +
				(s.replaced ? ` (vervangt ${s.replaced})` : '') +
				` — coördinaten: ${crs === 'rd' ? 'RD New, omgerekend naar WGS84' : 'WGS84'}`
		);
		return 0;
	} finally {
		if (!deps.db) await db.close();
	}
}
