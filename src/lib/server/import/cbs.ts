import { msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import type { Feature } from 'geojson';
import { ImportError, type AreaImportOptions } from './areas.ts';
import { collection, type SpatialFile, type SpatialLayer } from './formats/index.ts';

/**
 * The CBS Wijk- en Buurtkaart, the whole country in one file: which layers hold the wijken and
 * buurten, which columns say what (GeoPackage names since 2021, shapefile names before), and
 * which rows belong to one municipality. The writing is the ordinary area import's.
 */

/** Column names per meaning: GeoPackage (lower case) first, then the older shapefile names. */
const COLUMNS = {
	gemeente: ['gemeentecode', 'GM_CODE'],
	gemeentenaam: ['gemeentenaam', 'GM_NAAM'],
	wijk: ['wijkcode', 'WK_CODE'],
	wijknaam: ['wijknaam', 'WK_NAAM'],
	buurt: ['buurtcode', 'BU_CODE'],
	buurtnaam: ['buurtnaam', 'BU_NAAM'],
	inwoners: ['aantal_inwoners', 'AANT_INW'],
	water: ['water', 'WATER']
} as const;

type Meaning = keyof typeof COLUMNS;
const column = (layer: SpatialLayer, m: Meaning): string | null =>
	COLUMNS[m].find((c) => layer.fields.includes(c)) ?? null;

/** GM0363, gm363 and 363 all mean GM0363. */
export function normalizeGemeente(input: string): string {
	const m = input
		.trim()
		.toUpperCase()
		.match(/^(?:GM)?(\d{1,4})$/);
	if (!m) throw new ImportError(msg('errors.import.gemeenteCode', { input }));
	return `GM${m[1].padStart(4, '0')}`;
}

/** The one layer of a kind; with several (years side by side), --year chooses. */
function pickLayer(
	file: SpatialFile,
	kind: 'wijken' | 'buurten',
	year: string | null
): SpatialLayer {
	let found = file.layers.filter((l) =>
		kind === 'buurten' ? column(l, 'buurt') : column(l, 'wijk') && !column(l, 'buurt')
	);
	found = found.filter((l) => column(l, 'gemeente'));
	if (year) {
		found = found.filter((l) => l.name.includes(year));
		if (found.length === 0)
			throw new ImportError(
				msg('errors.import.cbsNoYear', {
					kind,
					year,
					layers: file.layers.map((l) => l.name).join(', ')
				})
			);
	}
	if (found.length === 0) {
		throw new ImportError(
			msg(kind === 'buurten' ? 'errors.import.cbsNoBuurten' : 'errors.import.cbsNoWijken', {
				layers: file.layers.map((l) => `${l.name} (${l.fields.slice(0, 6).join(', ')})`).join('; ')
			})
		);
	}
	if (found.length > 1)
		throw new ImportError(
			msg('errors.import.cbsSeveral', { kind, layers: found.map((l) => l.name).join(', ') })
		);
	return found[0];
}

const text = (v: unknown): string | null =>
	v == null || String(v).trim() === '' ? null : String(v).trim();

/**
 * One municipality's rows of a layer, one per code: CBS files of some years hold a separate
 * water part under the same code as the land part; the land part is the area.
 */
async function rowsOf(
	layer: SpatialLayer,
	gmField: string,
	gemeente: string,
	codeField: string,
	notes: Message[]
): Promise<Feature[]> {
	const rows = await layer.read({ field: gmField, values: [gemeente] });
	const water = column(layer, 'water');
	const byCode = new Map<string, Feature[]>();
	for (const f of rows) {
		const code = text(f.properties?.[codeField]) ?? '';
		byCode.set(code, [...(byCode.get(code) ?? []), f]);
	}
	let dropped = 0;
	const out: Feature[] = [];
	for (const group of byCode.values()) {
		const land =
			water && group.length > 1
				? group.filter((f) => String(f.properties?.[water] ?? '').toUpperCase() !== 'JA')
				: group;
		dropped += group.length - land.length;
		out.push(...(land.length ? land : group));
	}
	if (dropped) notes.push(msg('errors.import.cbsWater', { layer: layer.name, n: dropped }));
	return out;
}

export interface CbsLevels {
	levels: { layer: string; input: unknown; opts: AreaImportOptions; keys: string[] }[];
	notes: Message[];
	gemeente: { code: string; name: string | null };
}

export async function planCbsLevels(
	file: SpatialFile,
	gemeenteInput: string,
	year: string | null
): Promise<CbsLevels> {
	const gemeente = normalizeGemeente(gemeenteInput);
	if (year !== null && !/^\d{4}$/.test(year))
		throw new ImportError(msg('errors.import.year', { option: '--year' }));
	const wijkLayer = pickLayer(file, 'wijken', year);
	const buurtLayer = pickLayer(file, 'buurten', year);
	const gmField = column(wijkLayer, 'gemeente')!;

	const present = await wijkLayer.distinct(gmField);
	if (!present.has(gemeente)) {
		const codes = [...present.keys()].sort();
		// The codes nearest to the one asked for: a typo is usually one digit off.
		const at = codes.findIndex((c) => c > gemeente);
		const start = Math.max(0, Math.min((at < 0 ? codes.length : at) - 2, codes.length - 5));
		const near = codes.slice(start, start + 5);
		const nameField = column(wijkLayer, 'gemeentenaam');
		const names = new Map<string, string>();
		if (nameField) {
			for (const f of await wijkLayer.read({ field: gmField, values: near })) {
				const n = text(f.properties?.[nameField]);
				if (n) names.set(String(f.properties?.[gmField]), n);
			}
		}
		throw new ImportError(
			msg('errors.import.cbsGemeente', {
				gemeente,
				layer: wijkLayer.name,
				n: codes.length,
				near: near.map((c) => (names.has(c) ? `${c} (${names.get(c)})` : c)).join(', ')
			})
		);
	}

	const notes: Message[] = [];
	const wk = column(wijkLayer, 'wijk')!;
	const wkName = column(wijkLayer, 'wijknaam');
	const wkPop = column(wijkLayer, 'inwoners');
	const bu = column(buurtLayer, 'buurt')!;
	const buName = column(buurtLayer, 'buurtnaam');
	const buPop = column(buurtLayer, 'inwoners');
	const buWk = column(buurtLayer, 'wijk');
	const buGm = column(buurtLayer, 'gemeente')!;

	const wijkRows = await rowsOf(wijkLayer, gmField, gemeente, wk, notes);
	const buurtRows = await rowsOf(buurtLayer, buGm, gemeente, bu, notes);
	if (buurtRows.length === 0)
		throw new ImportError(msg('errors.import.cbsNoRows', { gemeente, layer: buurtLayer.name }));
	const gmNameField = column(wijkLayer, 'gemeentenaam');
	const gemeenteName = gmNameField ? text(wijkRows[0]?.properties?.[gmNameField]) : null;

	// Only the columns the import uses: a wijk row's gemeentecode is no parent at this level.
	const pick = (f: Feature, keys: (string | null)[]) =>
		Object.fromEntries(
			keys.filter((k): k is string => !!k).map((k) => [k, f.properties?.[k] ?? null])
		);
	const wijkFeatures = wijkRows.map((f): Feature => ({
		type: 'Feature',
		geometry: f.geometry,
		properties: pick(f, [wk, wkName, wkPop])
	}));
	// A buurt's wijk is in its own column; without one it is in the code: BU03630001 lies in WK036300.
	const parentField = buWk ?? 'wijkcode';
	if (!buWk)
		notes.push(msg('errors.import.cbsDerived', { layer: buurtLayer.name, gm: gemeente.slice(2) }));
	const buurtFeatures = buurtRows.map((f): Feature => {
		const code = text(f.properties?.[bu]);
		const parent = buWk
			? text(f.properties?.[buWk])
			: code && /^BU\d{8}$/i.test(code)
				? `WK${code.slice(2, 8)}`
				: null;
		return {
			type: 'Feature',
			geometry: f.geometry,
			properties: { ...pick(f, [bu, buName, buPop]), [parentField]: parent }
		};
	});

	const fieldsFor = (code: string, name: string | null, pop: string | null, parent?: string) => ({
		code,
		name: name ?? undefined,
		population: pop ?? undefined,
		parent
	});
	return {
		gemeente: { code: gemeente, name: gemeenteName },
		notes,
		levels: [
			{
				layer: wijkLayer.name,
				input: collection(wijkFeatures, wijkLayer.crs),
				opts: { level: 'wijk', fields: fieldsFor(wk, wkName, wkPop) },
				keys: wijkLayer.fields
			},
			{
				layer: buurtLayer.name,
				input: collection(buurtFeatures, buurtLayer.crs),
				opts: {
					level: 'buurt',
					parentLevel: 'wijk',
					fields: fieldsFor(bu, buName, buPop, parentField)
				},
				keys: buurtLayer.fields
			}
		]
	};
}
