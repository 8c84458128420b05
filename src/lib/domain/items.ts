import type { LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import { EVENT_TYPES, FUNDS, PARTICIPATION_LEVELS, type Layer } from './layers.ts';
import { acceptedStatuses, rejectionError, reportUrlError, statusError } from './status.ts';
import { AppError } from './errors.ts';
import type { MessageParams } from '../i18n/localize.ts';
import { categoryById, themeIds, type Taxonomy } from './themes.ts';

export type ItemGeometry = Point | LineString | Polygon | MultiLineString | MultiPolygon;
export const GEOMETRY_TYPES = [
	'Point',
	'LineString',
	'Polygon',
	'MultiLineString',
	'MultiPolygon'
] as const;

/** One public update in an item's timeline; a status change carries its terugkoppeling. */
export interface TimelineEntry {
	at: Date;
	from: string | null;
	to: string | null;
	text: string;
}

/** The reporter of a melding. Stored apart and never returned by a public endpoint. */
export interface MeldingContact {
	email?: string | null;
	phone?: string | null;
	name?: string | null;
}

/** An item ready to be written. Its areas are never part of the input: the store assigns them. */
export interface ItemInput {
	layer: Layer;
	title: string;
	description: string;
	/** Primary theme; for meldingen the category's theme. */
	theme: string;
	/** Secondary themes. */
	themes?: string[];
	status: string;
	geometry: ItemGeometry;
	createdAt?: Date;
	updatedAt?: Date;
	/** Meldingen: Signalen-like category and subcategory. */
	category?: string | null;
	subcategory?: string | null;
	/** Bijeenkomsten: start and end of the meeting. */
	startsAt?: Date | null;
	endsAt?: Date | null;
	details?: Record<string, unknown>;
	timeline?: TimelineEntry[];
	contact?: MeldingContact | null;
	/** Identifier in the source system, kept for traceability. */
	externalId?: string | null;
}

type FieldType = 'text' | 'money' | 'date' | 'url' | 'enum';
export interface DetailField {
	key: string;
	type: FieldType;
	values?: readonly string[];
	/** Column names in import files that mean this field (lower case). */
	aliases: readonly string[];
}

/**
 * Layer-specific fields, kept in the item's `details` column. Money is in euros with cents;
 * dates are YYYY-MM-DD.
 */
export const DETAIL_FIELDS: Record<Layer, readonly DetailField[]> = {
	initiatieven: [
		{ key: 'fund', type: 'enum', values: FUNDS, aliases: ['fonds', 'fund', 'regeling'] },
		{ key: 'initiator', type: 'text', aliases: ['initiatiefnemer', 'initiator', 'groep'] },
		// The municipal department that supports the initiative; optional. With the initiator it
		// names the owner that koppelkansen (/api/analyse/koppelkansen) compare.
		{
			key: 'department',
			type: 'text',
			aliases: ['afdeling', 'department', 'begeleidende_afdeling']
		},
		{ key: 'support', type: 'text', aliases: ['draagvlak', 'support'] },
		{
			key: 'budgetRequested',
			type: 'money',
			aliases: ['aangevraagd_bedrag', 'bedrag_aangevraagd', 'budget_requested', 'aangevraagd']
		},
		{
			key: 'budgetGranted',
			type: 'money',
			aliases: ['toegekend_bedrag', 'bedrag_toegekend', 'budget_granted', 'toegekend']
		},
		{
			key: 'rejectionReason',
			type: 'text',
			aliases: ['reden_afwijzing', 'reden', 'rejection_reason']
		}
	],
	projecten: [
		{
			key: 'plannedStart',
			type: 'date',
			aliases: ['start_gepland', 'geplande_start', 'planned_start']
		},
		{
			key: 'plannedEnd',
			type: 'date',
			aliases: ['eind_gepland', 'geplande_oplevering', 'planned_end']
		},
		{ key: 'actualStart', type: 'date', aliases: ['start_werkelijk', 'actual_start'] },
		{ key: 'actualEnd', type: 'date', aliases: ['eind_werkelijk', 'opgeleverd_op', 'actual_end'] },
		{ key: 'budget', type: 'money', aliases: ['budget', 'bedrag'] },
		{ key: 'department', type: 'text', aliases: ['afdeling', 'department', 'opdrachtgever'] },
		{
			key: 'contactRole',
			type: 'text',
			aliases: ['contact', 'contactpersoon', 'contact_role', 'rol']
		},
		{
			key: 'participation',
			type: 'enum',
			values: PARTICIPATION_LEVELS,
			aliases: ['participatie', 'participatieniveau', 'participation']
		}
	],
	meldingen: [],
	// In reading order (the item page shows them so): how much say residents have comes first.
	bijeenkomsten: [
		{
			key: 'participation',
			type: 'enum',
			values: PARTICIPATION_LEVELS,
			aliases: ['participatie', 'participatieniveau', 'participation']
		},
		{
			key: 'influence',
			type: 'text',
			aliases: ['beinvloedingsruimte', 'beïnvloedingsruimte', 'influence']
		},
		{
			key: 'eventType',
			type: 'enum',
			values: EVENT_TYPES,
			aliases: ['soort', 'type', 'event_type']
		},
		{ key: 'venue', type: 'text', aliases: ['locatie', 'venue', 'plek'] },
		{ key: 'address', type: 'text', aliases: ['adres', 'address'] },
		{ key: 'organiser', type: 'text', aliases: ['organisator', 'organiser', 'organizer'] },
		{ key: 'reportUrl', type: 'url', aliases: ['verslag', 'verslag_url', 'report_url'] }
	]
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A broken item rule (400): the field it concerns and a message code, for forms, the API and imports alike. */
export class ItemRuleError extends AppError {
	constructor(field: string, code: string, params?: MessageParams) {
		super({ code, params }, { status: 400, field });
	}
}

/**
 * Normalises one detail value from text or JSON; throws a Dutch message on a bad value.
 * Empty values become undefined (absent).
 */
export function detailValue(field: DetailField, raw: unknown): string | number | undefined {
	if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === ''))
		return undefined;
	const text = typeof raw === 'string' ? raw.trim() : String(raw);
	switch (field.type) {
		case 'money': {
			const n = typeof raw === 'number' ? raw : parseMoney(text);
			if (!Number.isFinite(n) || n < 0)
				throw new ItemRuleError(`details.${field.key}`, 'errors.item.money', {
					key: field.key,
					text
				});
			return Math.round(n * 100) / 100;
		}
		case 'date': {
			// YYYY-MM-DD (optionally with a time, dropped) or the Dutch DD-MM-YYYY.
			const nl = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
			const d = nl
				? `${nl[3]}-${nl[2].padStart(2, '0')}-${nl[1].padStart(2, '0')}`
				: text.slice(0, 10);
			if (!DATE.test(d) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
				throw new ItemRuleError(`details.${field.key}`, 'errors.item.date', {
					key: field.key,
					text
				});
			}
			return d;
		}
		case 'enum':
			if (!field.values!.includes(text.toLowerCase())) {
				throw new ItemRuleError(`details.${field.key}`, 'errors.item.enum', {
					key: field.key,
					text,
					allowed: field.values!.join(', ')
				});
			}
			return text.toLowerCase();
		case 'url': {
			const err = reportUrlError(text);
			if (err)
				throw new ItemRuleError(`details.${field.key}`, 'errors.item.url', {
					key: field.key,
					url: text
				});
			return text;
		}
		default:
			return text.slice(0, 2000);
	}
}

/** "€ 1.250,50", "1250.5", "€ 125.000", "1,250" → number of euros; NaN if it is none. */
export function parseMoney(text: string): number {
	let t = text.replace(/[€\s]/g, '').replace(/,-$/, '');
	if (/,\d{1,2}$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
	else if (/^\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, '');
	else t = t.replace(/,/g, '');
	return t === '' || !/^-?\d+(\.\d+)?$/.test(t) ? NaN : Number(t);
}

export function normaliseDetails(
	layer: Layer,
	details: Record<string, unknown> = {}
): Record<string, string | number> {
	const out: Record<string, string | number> = {};
	for (const field of DETAIL_FIELDS[layer]) {
		const v = detailValue(field, details[field.key]);
		if (v !== undefined) out[field.key] = v;
	}
	const unknown = Object.keys(details).filter(
		(k) => !DETAIL_FIELDS[layer].some((f) => f.key === k)
	);
	if (unknown.length) {
		throw new ItemRuleError('details', 'errors.item.unknownDetail', {
			keys: unknown.map((k) => `"${k}"`).join(', '),
			layer,
			allowed: DETAIL_FIELDS[layer].map((f) => f.key).join(', ') || '(geen)'
		});
	}
	return out;
}

/**
 * Checks an item against the domain rules and returns it normalised (theme of a melding from
 * its category, details typed). Throws a Dutch message naming what is wrong.
 */
export function validateItem(input: ItemInput, tax: Taxonomy): ItemInput {
	const title = input.title?.trim();
	if (!title) throw new ItemRuleError('title', 'errors.item.titleMissing');
	if (title.length > 200)
		throw new ItemRuleError('title', 'errors.item.titleLong', { start: title.slice(0, 30) });
	if (statusError(input.layer, input.status))
		throw new ItemRuleError('status', 'errors.item.status', {
			status: input.status,
			layer: input.layer,
			allowed: acceptedStatuses(input.layer)
		});
	if (!(GEOMETRY_TYPES as readonly string[]).includes(input.geometry?.type)) {
		throw new ItemRuleError('geometry', 'errors.item.geometryType', {
			type: String(input.geometry?.type),
			allowed: GEOMETRY_TYPES.join(', ')
		});
	}
	if (!coordinatesValid(input.geometry.coordinates)) {
		throw new ItemRuleError('geometry', 'errors.item.geometryRange');
	}
	let theme = input.theme;
	let category: string | null = null;
	let subcategory: string | null = null;
	if (input.layer === 'meldingen' && input.category) {
		const cat = categoryById(tax, input.category);
		if (!cat) {
			throw new ItemRuleError('category', 'errors.item.category', {
				category: input.category,
				allowed: tax.categories.map((c) => c.id).join(', ')
			});
		}
		// A melding's theme follows from its category, whatever the input says.
		theme = cat.theme;
		category = cat.id;
		subcategory = input.subcategory?.trim() || null;
		if (subcategory && cat.subcategories.length && !cat.subcategories.includes(subcategory)) {
			throw new ItemRuleError('subcategory', 'errors.item.subcategory', {
				subcategory,
				category: cat.id,
				allowed: cat.subcategories.join(', ')
			});
		}
	}
	const ids = themeSet(tax);
	const themes = input.themes?.length ? [...new Set(input.themes.filter((t) => t !== theme))] : [];
	for (const t of [theme, ...themes]) {
		if (!ids.has(t))
			throw new ItemRuleError('theme', 'errors.item.theme', {
				theme: t,
				allowed: themeIds(tax).join(', ')
			});
	}
	const details = normaliseDetails(input.layer, input.details);
	if (rejectionError(input.layer, input.status, details.rejectionReason as string | undefined)) {
		throw new ItemRuleError(
			input.layer === 'initiatieven' ? 'details.rejectionReason' : '_',
			'errors.item.rejection'
		);
	}
	let startsAt = input.startsAt ?? null;
	let endsAt = input.endsAt ?? null;
	if (input.layer === 'bijeenkomsten') {
		if (!startsAt || Number.isNaN(startsAt.getTime()))
			throw new ItemRuleError('startsAt', 'errors.item.startsAt');
		if (endsAt && endsAt < startsAt) throw new ItemRuleError('endsAt', 'errors.item.endsAt');
	} else {
		startsAt = endsAt = null;
	}
	for (const e of input.timeline ?? []) {
		const to = e.to ?? input.status;
		if (statusError(input.layer, to))
			throw new ItemRuleError('status', 'errors.item.status', {
				status: to,
				layer: input.layer,
				allowed: acceptedStatuses(input.layer)
			});
		if (!e.text.trim()) throw new ItemRuleError('timeline', 'errors.item.updateText');
	}
	return {
		...input,
		title,
		description: input.description?.trim() ?? '',
		theme,
		themes,
		category,
		subcategory,
		startsAt,
		endsAt,
		details
	};
}

const themeSets = new WeakMap<Taxonomy, Set<string>>();
function themeSet(tax: Taxonomy): Set<string> {
	let set = themeSets.get(tax);
	if (!set) themeSets.set(tax, (set = new Set(themeIds(tax))));
	return set;
}

/** WGS84 positions only, and no empty shapes. */
function coordinatesValid(c: unknown): boolean {
	if (!Array.isArray(c) || c.length === 0) return false;
	if (typeof c[0] === 'number') {
		const [lon, lat] = c as number[];
		return (
			c.length >= 2 &&
			Number.isFinite(lon) &&
			Number.isFinite(lat) &&
			Math.abs(lon) <= 180 &&
			Math.abs(lat) <= 90
		);
	}
	return c.every(coordinatesValid);
}
