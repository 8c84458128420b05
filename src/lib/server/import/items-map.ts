import { msg } from '../../domain/errors.ts';
import { ImportError } from './import-error.ts';
import type { Geometry, Position } from 'geojson';
import {
	DETAIL_FIELDS,
	validateItem,
	type ItemGeometry,
	type ItemInput
} from '../../domain/items.ts';
import { STATUSES, type Layer } from '../../domain/layers.ts';
import { parseLocalDateTime } from '../../domain/local-time.ts';
import { findCategory, findTheme, themeIds, type Taxonomy } from '../../domain/themes.ts';
import { detectCrs, rdToWgs84 } from '../../geo/rd.ts';

/**
 * Turns rows of a CSV or features of a GeoJSON file into items: which column means what
 * (detected from common Dutch and English names, or set with --field), and the conversion of
 * each value. Pure: the CLI reads the file, the writer stores the result.
 */
export interface SourceRecord {
	/** Where the record is in its file, for error messages ("regel 12", "feature 3"). */
	ref: string;
	props: Record<string, unknown>;
	geometry: Geometry | null;
}

export interface MapOptions {
	layer: Layer;
	/** A theme id for every row (--theme). */
	theme?: string | null;
	/** Explicit target → source column (--field name=prop). */
	fields?: Record<string, string>;
}

/** target field → the source column it is read from. */
export type FieldMapping = Record<string, string>;

const CORE_ALIASES: Record<string, readonly string[]> = {
	title: ['title', 'titel', 'naam', 'name', 'onderwerp', 'kop'],
	description: ['description', 'omschrijving', 'beschrijving', 'toelichting', 'tekst', 'text'],
	status: ['status', 'fase', 'phase'],
	theme: ['theme', 'thema', 'hoofdthema'],
	themes: ['themes', 'themas', 'neventhemas', 'overige_themas'],
	category: ['category', 'categorie', 'hoofdcategorie', 'main_category'],
	subcategory: ['subcategory', 'subcategorie', 'sub_category'],
	createdAt: [
		'created_at',
		'createdat',
		'aangemaakt',
		'aanmaakdatum',
		'gemeld_op',
		'datum_melding',
		'datum',
		'date'
	],
	updatedAt: ['updated_at', 'updatedat', 'gewijzigd', 'laatst_gewijzigd'],
	startsAt: ['starts_at', 'startsat', 'start', 'begin', 'aanvang', 'starttijd', 'datum'],
	endsAt: ['ends_at', 'endsat', 'eind', 'einde', 'eindtijd'],
	externalId: ['external_id', 'externalid', 'id', 'kenmerk', 'nummer', 'meldingnummer'],
	lon: ['lon', 'lng', 'long', 'longitude', 'lengtegraad'],
	lat: ['lat', 'latitude', 'breedtegraad'],
	x: ['x', 'rd_x', 'x_rd', 'xcoord'],
	y: ['y', 'rd_y', 'y_rd', 'ycoord']
};
/** Meetings are dated by their start; other layers by when they were made. */
const LAYER_ONLY: Record<string, Layer> = { startsAt: 'bijeenkomsten', endsAt: 'bijeenkomsten' };
const NOT_FOR: Record<string, Layer> = { createdAt: 'bijeenkomsten' };

export function targetFields(layer: Layer): string[] {
	return [
		...Object.keys(CORE_ALIASES).filter(
			(t) => (LAYER_ONLY[t] ?? layer) === layer && NOT_FOR[t] !== layer
		),
		...DETAIL_FIELDS[layer].map((f) => f.key)
	];
}

/** Lower case, no accents, words joined by _: "Beïnvloedings-ruimte" → "beinvloedings_ruimte". */
export function normaliseName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim()
		.replace(/['’]/g, '')
		.replace(/[\s.\-/]+/g, '_');
}

/** Decides which source column feeds which field; explicit --field choices win. */
export function fieldMapping(columns: string[], opts: MapOptions): FieldMapping {
	const targets = targetFields(opts.layer);
	const mapping: FieldMapping = {};
	const used = new Set<string>();
	for (const [target, column] of Object.entries(opts.fields ?? {})) {
		if (!targets.includes(target)) {
			throw new ImportError(
				msg('errors.import.fieldTarget', {
					target,
					layer: opts.layer,
					allowed: targets.join(', ')
				})
			);
		}
		if (!columns.includes(column)) {
			throw new ImportError(
				msg('errors.import.fieldColumn', { target, column, columns: columns.join(', ') })
			);
		}
		mapping[target] = column;
		used.add(column);
	}
	const byName = new Map(columns.map((c) => [normaliseName(c), c]));
	const aliases = (t: string) =>
		CORE_ALIASES[t] ?? [
			normaliseName(t),
			...(DETAIL_FIELDS[opts.layer].find((f) => f.key === t)?.aliases ?? [])
		];
	for (const target of targets) {
		if (mapping[target]) continue;
		for (const alias of aliases(target)) {
			const column = byName.get(normaliseName(alias));
			if (column && !used.has(column)) {
				mapping[target] = column;
				used.add(column);
				break;
			}
		}
	}
	return mapping;
}

/** Converts one record; throws a Dutch message (without the record reference). */
export function toItem(
	rec: SourceRecord,
	mapping: FieldMapping,
	opts: MapOptions,
	tax: Taxonomy
): ItemInput {
	const get = (target: string): string | null => {
		const column = mapping[target];
		const v = column === undefined ? undefined : rec.props[column];
		if (v === null || v === undefined) return null;
		const s = (typeof v === 'object' ? JSON.stringify(v) : String(v)).trim();
		return s === '' ? null : s;
	};
	const layer = opts.layer;
	const category =
		layer === 'meldingen' && get('category') ? categoryId(tax, get('category')!) : null;
	const theme =
		opts.theme ??
		(get('theme') ? themeId(tax, get('theme')!) : null) ??
		(category ? findCategoryTheme(tax, category) : null);
	if (!theme) {
		throw new ImportError(msg('errors.import.themeMissing', { allowed: themeIds(tax).join(', ') }));
	}
	const createdAt = date(get('createdAt'), 'datum');
	const startsAt = date(get('startsAt'), 'begintijd');
	const details: Record<string, unknown> = {};
	for (const f of DETAIL_FIELDS[layer]) {
		const v = get(f.key);
		if (v !== null) details[f.key] = v;
	}
	const input: ItemInput = {
		layer,
		title:
			get('title') ??
			derivedTitle({
				label:
					(category ? tax.categories.find((c) => c.id === category)?.nl : null) ??
					findTheme(tax, theme)?.nl ??
					theme,
				when: startsAt ?? createdAt,
				id: get('externalId'),
				description: get('description'),
				ref: rec.ref
			}),
		description: get('description') ?? '',
		theme,
		themes: (get('themes') ?? '')
			.split(/[,;|]/)
			.map((t) => t.trim())
			.filter(Boolean)
			.map((t) => themeId(tax, t)),
		status: get('status') ? statusId(layer, get('status')!) : STATUSES[layer][0].id,
		category,
		subcategory: get('subcategory'),
		geometry: geometryOf(rec, mapping),
		createdAt: createdAt ?? undefined,
		updatedAt: date(get('updatedAt'), 'gewijzigd') ?? undefined,
		startsAt,
		endsAt: date(get('endsAt'), 'eindtijd'),
		details,
		externalId: get('externalId')
	};
	return validateItem(input, tax);
}

const DAY = new Intl.DateTimeFormat('nl-NL', {
	timeZone: 'Europe/Amsterdam',
	day: '2-digit',
	month: '2-digit',
	year: 'numeric'
});

/**
 * A title for a record of a file without a title column (an accident register has a date, a
 * severity and an id, but no title): the category or theme label with the date and the id;
 * without either, the start of the description; without that, where the record is in the file.
 */
export function derivedTitle(p: {
	label: string;
	when: Date | null;
	id: string | null;
	description: string | null;
	ref: string;
}): string {
	const id = p.id ? ` (nr. ${p.id})` : '';
	if (p.when) return `${p.label}, ${DAY.format(p.when)}${id}`.slice(0, 200);
	if (id) return `${p.label}${id}`.slice(0, 200);
	if (p.description) {
		const flat = p.description.replace(/\s+/g, ' ');
		return flat.length <= 80 ? flat : `${flat.slice(0, 80).replace(/\s+\S*$/, '')}…`;
	}
	return `${p.label} (${p.ref})`;
}

/** How the titles of a file are made, for the import summary; null when a column holds them. */
export function titleSource(mapping: FieldMapping): string | null {
	if (mapping.title) return null;
	const dated = mapping.startsAt ?? mapping.createdAt;
	if (dated || mapping.externalId) {
		const parts = [
			dated && `datum (${dated})`,
			mapping.externalId && `nummer (${mapping.externalId})`
		].filter(Boolean);
		return `afgeleid: categorie of thema + ${parts.join(' + ')}`;
	}
	if (mapping.description) return `afgeleid: begin van de omschrijving (${mapping.description})`;
	return 'afgeleid: categorie of thema + regel/feature in het bestand';
}

function themeId(tax: Taxonomy, value: string): string {
	const t = findTheme(tax, value);
	if (!t)
		throw new ImportError(msg('errors.import.theme', { value, allowed: themeIds(tax).join(', ') }));
	return t.id;
}

function categoryId(tax: Taxonomy, value: string): string {
	const c = findCategory(tax, value);
	if (!c)
		throw new ImportError(
			msg('errors.import.category', {
				value,
				allowed: tax.categories.map((x) => x.id).join(', ')
			})
		);
	return c.id;
}

function findCategoryTheme(tax: Taxonomy, id: string): string | null {
	return tax.categories.find((c) => c.id === id)?.theme ?? null;
}

/** Accepts the id ("in_uitvoering") or the label ("In uitvoering", "in progress"). */
export function statusId(layer: Layer, value: string): string {
	const v = normaliseName(value);
	const s = STATUSES[layer].find(
		(x) => x.id === v || normaliseName(x.nl) === v || normaliseName(x.en) === v
	);
	if (!s)
		throw new ImportError(
			msg('errors.import.status', {
				value,
				layer,
				allowed: STATUSES[layer].map((x) => x.id).join(', ')
			})
		);
	return s.id;
}

function date(value: string | null, what: string): Date | null {
	if (value === null) return null;
	const d = parseLocalDateTime(value);
	if (!d) throw new ImportError(msg('errors.import.date', { what, value }));
	return d;
}

function number(value: string, what: string): number {
	const t = value.includes('.') ? value : value.replace(',', '.');
	const n = /^\s*-?\d+(\.\d+)?\s*$/.test(t) ? Number(t) : NaN;
	if (Number.isNaN(n)) throw new ImportError(msg('errors.import.number', { what, value }));
	return n;
}

function fromRd(p: Position): Position {
	const [lon, lat] = rdToWgs84(p);
	return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

function geometryOf(rec: SourceRecord, mapping: FieldMapping): ItemGeometry {
	if (rec.geometry) {
		const g = rec.geometry as ItemGeometry;
		if (!('coordinates' in g))
			throw new ImportError(msg('errors.import.geometryType', { type: rec.geometry.type }));
		const positions = allPositions(g.coordinates);
		if (positions.length === 0) return g;
		return detectCrs(positions) === 'rd'
			? ({ ...g, coordinates: mapPositions(g.coordinates, fromRd) } as ItemGeometry)
			: g;
	}
	const raw = (t: string) => {
		const v = mapping[t] === undefined ? undefined : rec.props[mapping[t]];
		return v === undefined || v === null || String(v).trim() === '' ? null : String(v);
	};
	const [lon, lat, x, y] = ['lon', 'lat', 'x', 'y'].map(raw);
	if (lon !== null && lat !== null)
		return { type: 'Point', coordinates: [number(lon, 'lon'), number(lat, 'lat')] };
	if (x !== null && y !== null) {
		const p: Position = [number(x, 'x'), number(y, 'y')];
		return { type: 'Point', coordinates: detectCrs([p]) === 'rd' ? fromRd(p) : p };
	}
	throw new ImportError(msg('errors.import.noLocation'));
}

function allPositions(c: unknown, out: Position[] = []): Position[] {
	if (Array.isArray(c)) {
		if (typeof c[0] === 'number') out.push(c as Position);
		else for (const x of c) allPositions(x, out);
	}
	return out;
}

function mapPositions(c: unknown, f: (p: Position) => Position): unknown {
	if (!Array.isArray(c)) return c;
	return typeof c[0] === 'number' ? f(c as Position) : c.map((x) => mapPositions(x, f));
}
