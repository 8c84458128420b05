import { AppError, msg } from './errors.ts';
import type { MessageParams } from '../i18n/localize.ts';

/**
 * Themes are configuration: a municipality brings its own taxonomy. The default lives in
 * themes.default.json; the server loads an override from WIJKKAART_THEMES_FILE. Melding
 * categories (as in Signalen) map onto a theme and carry their afhandeltermijn (SLA).
 */
export interface Theme {
	id: string;
	nl: string;
	en: string;
	/** #rrggbb */
	color: string;
	icon: string;
}

export interface MeldingCategory {
	id: string;
	nl: string;
	en: string;
	theme: string;
	/** Afhandeltermijn in days; null means no deadline. */
	slaDays: number | null;
	/** Shown publicly only as counts per buurt, and only from MIN_SENSITIVE_COUNT on. */
	sensitive: boolean;
	subcategories: string[];
}

export interface Taxonomy {
	themes: Theme[];
	categories: MeldingCategory[];
}

/** A theme as the API describes it, with what its colour may be used for. */
export interface PublicTheme extends Theme {
	/** WCAG contrast of the colour against white. */
	contrastOnWhite: number;
	/** Below 4.5:1 the colour is for fills and symbols only, never for text on white. */
	fillOnly: boolean;
}

/** Sensitive categories are published only as counts per buurt of at least this many. */
export const MIN_SENSITIVE_COUNT = 5;
/** WCAG 2 AA for normal text. */
export const TEXT_CONTRAST = 4.5;

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * A theme configuration that cannot be used, naming the entry at fault; `field` is the list it
 * is in (themes or categories). 500: the server's configuration, never the client's fault.
 */
export class TaxonomyError extends AppError {}

/** Validates a taxonomy read from JSON; throws a TaxonomyError naming the entry at fault. */
export function parseTaxonomy(input: unknown, source = 'thema-configuratie'): Taxonomy {
	let field = 'themes';
	const fail = (code: string, params: MessageParams = {}): never => {
		throw new TaxonomyError(msg('errors.theme.at', { source, what: msg(code, params) }), {
			status: 500,
			field
		});
	};
	if (!isObject(input) || !Array.isArray(input.themes)) fail('errors.theme.notObject');
	const raw = input as { themes: unknown[]; categories?: unknown };
	if (raw.categories !== undefined && !Array.isArray(raw.categories)) {
		field = 'categories';
		fail('errors.theme.categoriesList');
	}
	const themes: Theme[] = raw.themes.map((t, i) => {
		if (!isObject(t)) return fail('errors.theme.themeObject', { n: i + 1 });
		const id = str(t.id);
		if (!ID.test(id)) fail('errors.theme.themeId', { n: i + 1, id });
		if (!str(t.nl)) fail('errors.theme.themeNl', { id });
		if (!HEX.test(str(t.color))) fail('errors.theme.color', { id, color: str(t.color) });
		return {
			id,
			nl: str(t.nl),
			en: str(t.en) || str(t.nl),
			color: str(t.color).toUpperCase(),
			icon: str(t.icon) || 'circle'
		};
	});
	if (themes.length === 0) fail('errors.theme.none');
	unique(
		themes.map((t) => t.id),
		'errors.theme.themeTwice',
		fail
	);
	field = 'categories';
	const themeIds = new Set(themes.map((t) => t.id));
	const categories: MeldingCategory[] = ((raw.categories ?? []) as unknown[]).map((c, i) => {
		if (!isObject(c)) return fail('errors.theme.categoryObject', { n: i + 1 });
		const id = str(c.id);
		if (!ID.test(id)) fail('errors.theme.categoryId', { n: i + 1, id });
		if (!str(c.nl)) fail('errors.theme.categoryNl', { id });
		if (!themeIds.has(str(c.theme))) {
			fail('errors.theme.categoryTheme', {
				id,
				theme: str(c.theme),
				allowed: [...themeIds].join(', ')
			});
		}
		const sla = c.slaDays ?? null;
		if (sla !== null && !(Number.isInteger(sla) && (sla as number) > 0)) {
			fail('errors.theme.slaDays', { id });
		}
		const subs = c.subcategories ?? [];
		if (!Array.isArray(subs) || subs.some((s) => !ID.test(str(s)))) {
			fail('errors.theme.subcategories', { id });
		}
		return {
			id,
			nl: str(c.nl),
			en: str(c.en) || str(c.nl),
			theme: str(c.theme),
			slaDays: sla as number | null,
			sensitive: c.sensitive === true,
			subcategories: (subs as unknown[]).map(str)
		};
	});
	unique(
		categories.map((c) => c.id),
		'errors.theme.categoryTwice',
		fail
	);
	return { themes, categories };
}

export function publicTheme(theme: Theme): PublicTheme {
	const contrastOnWhite = Math.round(contrastRatio(theme.color, '#FFFFFF') * 100) / 100;
	return { ...theme, contrastOnWhite, fillOnly: contrastOnWhite < TEXT_CONTRAST };
}

/** WCAG 2 contrast ratio of two #rrggbb colours, 1…21. */
export function contrastRatio(a: string, b: string): number {
	const [la, lb] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (la + 0.05) / (lb + 0.05);
}

function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function categoryById(tax: Taxonomy, id: string): MeldingCategory | undefined {
	return tax.categories.find((c) => c.id === id);
}

/** Finds a category by id or by its Dutch or English name, as import files spell it. */
export function findCategory(tax: Taxonomy, value: string): MeldingCategory | undefined {
	const v = value.trim().toLowerCase();
	return tax.categories.find(
		(c) => c.id === v || c.nl.toLowerCase() === v || c.en.toLowerCase() === v
	);
}

/** Finds a theme by id or by its Dutch or English name. */
export function findTheme(tax: Taxonomy, value: string): Theme | undefined {
	const v = value.trim().toLowerCase();
	return tax.themes.find((t) => t.id === v || t.nl.toLowerCase() === v || t.en.toLowerCase() === v);
}

export function themeIds(tax: Taxonomy): string[] {
	return tax.themes.map((t) => t.id);
}

function unique(ids: string[], code: string, fail: (code: string, params: MessageParams) => never) {
	const seen = new Set<string>();
	for (const id of ids) {
		if (seen.has(id)) fail(code, { id });
		seen.add(id);
	}
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
	return typeof v === 'string' ? v.trim() : '';
}
