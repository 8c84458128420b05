import { msg } from '../../domain/errors.ts';
import { ImportError } from './import-error.ts';

/**
 * Which feature property holds the code, name, population and parent code. Lists are in order
 * of preference: on a CBS buurt file both BU_CODE and WK_CODE exist, and BU_CODE is the code
 * while WK_CODE is the parent.
 */
export const CODE_PROPS = [
	'BU_CODE',
	'buurtcode',
	'WK_CODE',
	'wijkcode',
	'wijkCode',
	'GM_CODE',
	'gemeentecode',
	'KODE',
	'code'
] as const;
export const NAME_PROPS = [
	'BU_NAAM',
	'buurtnaam',
	'WK_NAAM',
	'wijknaam',
	'wijkNaam',
	'GM_NAAM',
	'gemeentenaam',
	'NAAM',
	'naam',
	'name'
] as const;
export const POPULATION_PROPS = ['AANT_INW', 'aantal_inwoners', 'aantalInwoners'] as const;
/** Parent-code properties that are never a code of their own. */
const PARENT_ONLY_PROPS = ['WIJKKODE', 'wijkkode', 'parent', 'PARENT', 'parent_code'] as const;

export interface FieldChoice {
	code: string | null;
	name: string | null;
	population: string | null;
	parent: string | null;
}

export interface FieldOverrides {
	code?: string;
	name?: string;
	population?: string;
	parent?: string;
}

function present(keys: Set<string>, candidates: readonly string[]): string | null {
	return candidates.find((c) => keys.has(c)) ?? null;
}

export function detectFields(keys: Iterable<string>, overrides: FieldOverrides = {}): FieldChoice {
	const set = new Set(keys);
	for (const [what, prop] of Object.entries(overrides)) {
		if (prop && !set.has(prop))
			throw new ImportError(msg('errors.import.noProperty', { prop, what }));
	}
	const code = overrides.code ?? present(set, CODE_PROPS);
	// A parent code is a coarser kind of code than the one chosen: later in CODE_PROPS.
	const coarser =
		code && CODE_PROPS.includes(code as (typeof CODE_PROPS)[number])
			? CODE_PROPS.slice(CODE_PROPS.indexOf(code as (typeof CODE_PROPS)[number]) + 1).filter(
					(p) => p !== 'KODE' && p !== 'code'
				)
			: [];
	return {
		code,
		name: overrides.name ?? present(set, NAME_PROPS),
		population: overrides.population ?? present(set, POPULATION_PROPS),
		parent: overrides.parent ?? present(set, [...PARENT_ONLY_PROPS, ...coarser])
	};
}

/** CBS writes negative sentinels (-99999999), or "." in its CSV, for "secret" or unknown counts; a blank is unknown too, not 0. */
export function readPopulation(value: unknown): number | null {
	const text = typeof value === 'string' ? value.replace(/\s/g, '') : null;
	const n = text === null ? value : text === '' ? NaN : Number(text);
	return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}

export function slug(name: string): string {
	return (
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 56) || 'gebied'
	);
}

/** Stable codes for files that carry only names: the slug, numbered where names repeat. */
export function deriveCodes(names: string[]): string[] {
	const seen = new Map<string, number>();
	return names.map((n) => {
		const base = slug(n);
		const k = (seen.get(base) ?? 0) + 1;
		seen.set(base, k);
		return k === 1 ? base : `${base}-${k}`;
	});
}
