import { ckmeans, median as ssMedian, quantileSorted } from 'simple-statistics';
import { CSV_BOM, CSV_DEFAULT, csvLine, type CsvDialect } from './csv.ts';
import { msg } from './errors.ts';
import { ParamError } from './filters.ts';

/**
 * Pure rules of the analysis view (/analyse and /api/analyse/*): measures, per-capita rates,
 * periods, class breaks, grouping of koppelkansen and CSV of its tables.
 */
export const MEASURES = ['count', 'per1000', 'change'] as const;
export type Measure = (typeof MEASURES)[number];
export const BREAK_METHODS = ['quantile', 'jenks'] as const;
export type BreakMethod = (typeof BREAK_METHODS)[number];

/**
 * Below this many inhabitants a rate per 1,000 says more about chance than about the area
 * (an industrial estate with 40 residents and 6 meldingen would top the city), so such areas
 * are greyed out with the reason.
 */
export const MIN_POPULATION = 100;

export type NoRateReason = 'geen-inwonertal' | 'te-weinig-inwoners';

export interface Rate {
	value: number | null;
	reason: NoRateReason | null;
}

/** Count per 1,000 inhabitants, or null with the reason when the population cannot carry it. */
export function perThousand(count: number, population: number | null | undefined): Rate {
	if (population === null || population === undefined)
		return { value: null, reason: 'geen-inwonertal' };
	if (population < MIN_POPULATION) return { value: null, reason: 'te-weinig-inwoners' };
	return { value: (count / population) * 1000, reason: null };
}

/** The period of equal length just before [from, to). */
export function previousPeriod(from: Date, to: Date): { from: Date; to: Date } {
	const len = to.getTime() - from.getTime();
	if (!(len > 0)) throw new ParamError(msg('errors.param.fromTo'), 'from');
	return { from: new Date(from.getTime() - len), to: new Date(from.getTime()) };
}

/** Change against the previous period: absolute and, when there was something before, in %. */
export function change(current: number, previous: number): { diff: number; pct: number | null } {
	return {
		diff: current - previous,
		pct: previous > 0 ? ((current - previous) / previous) * 100 : null
	};
}

/**
 * Upper bounds of at most k classes over the values (ascending, the last is the maximum).
 * Quantiles put equally many areas in each class; natural breaks (ckmeans, the optimal form
 * of Jenks) put the bounds where the values jump. Repeated values can yield fewer classes.
 */
export function classBreaks(values: number[], k: number, method: BreakMethod): number[] {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return [];
	const classes = Math.max(1, Math.min(k, new Set(v).size));
	let bounds: number[];
	if (method === 'jenks') bounds = ckmeans(v, classes).map((c) => c[c.length - 1]);
	else bounds = Array.from({ length: classes }, (_, i) => quantileSorted(v, (i + 1) / classes));
	return [...new Set(bounds)];
}

/** Index of the class a value falls in: the first whose upper bound it does not exceed. */
export function classIndex(value: number, breaks: number[]): number {
	for (let i = 0; i < breaks.length; i++) if (value <= breaks[i]) return i;
	return breaks.length - 1;
}

export interface LegendClass {
	min: number;
	max: number;
	color: string;
	/** How many areas fall in this class. */
	count: number;
}

/** The legend as data: one entry per class with its range, colour and number of areas. */
export function legend(
	values: number[],
	breaks: number[],
	colors: readonly string[]
): LegendClass[] {
	const finite = values.filter((x) => Number.isFinite(x));
	const lo = finite.length ? Math.min(...finite) : 0;
	return breaks.map((max, i) => ({
		min: i === 0 ? lo : breaks[i - 1],
		max,
		color:
			colors[
				Math.min(
					colors.length - 1,
					Math.round((i * (colors.length - 1)) / Math.max(1, breaks.length - 1))
				)
			],
		count: finite.filter((x) => classIndex(x, breaks) === i).length
	}));
}

/** Sequential blues, light to dark, readable with a dark outline (ColorBrewer Blues 7). */
export const SEQUENTIAL = [
	'#eff3ff',
	'#c6dbef',
	'#9ecae1',
	'#6baed6',
	'#4292c6',
	'#2171b5',
	'#084594'
] as const;
export const NO_DATA_COLOR = '#bdbdbd';

export function median(values: number[]): number | null {
	return values.length ? ssMedian(values) : null;
}

/**
 * Themes that stand out in many wards: the city median is the median rate over every
 * ward × theme cell with a rate; a theme counts in a ward where its rate is above that.
 * Themes reaching `minWards` such wards come first, most wards first.
 */
export function themesAboveMedian(
	cells: { ward: string; theme: string; rate: number | null }[],
	minWards: number
): { median: number | null; themes: { theme: string; wards: string[] }[] } {
	const rated = cells.filter(
		(c): c is { ward: string; theme: string; rate: number } => c.rate !== null
	);
	const m = median(rated.map((c) => c.rate));
	if (m === null) return { median: null, themes: [] };
	const byTheme = new Map<string, string[]>();
	for (const c of rated)
		if (c.rate > m) byTheme.set(c.theme, [...(byTheme.get(c.theme) ?? []), c.ward]);
	const themes = [...byTheme.entries()]
		.map(([theme, wards]) => ({ theme, wards: wards.sort() }))
		.filter((t) => t.wards.length >= minWards)
		.sort((a, b) => b.wards.length - a.wards.length || a.theme.localeCompare(b.theme));
	return { median: m, themes };
}

/** Pairs of overlapping items joined into groups: items linked through any chain of pairs. */
/** How a koppelkans names a piece of work: its title and the wijk it is in, since plans repeat titles across wijken. */
export function workTitle(w: { title: string; area: string | null }): string {
	return w.area ? `${w.title} (${w.area})` : w.title;
}

export function groupPairs<K extends string>(pairs: { a: K; b: K }[]): K[][] {
	const parent = new Map<K, K>();
	const find = (x: K): K => {
		let r = x;
		while (parent.get(r) !== r) r = parent.get(r)!;
		parent.set(x, r);
		return r;
	};
	for (const { a, b } of pairs) {
		if (!parent.has(a)) parent.set(a, a);
		if (!parent.has(b)) parent.set(b, b);
		const [ra, rb] = [find(a), find(b)];
		if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
	}
	const groups = new Map<K, K[]>();
	for (const k of parent.keys()) groups.set(find(k), [...(groups.get(find(k)) ?? []), k]);
	return [...groups.values()]
		.map((g) => g.sort())
		.sort((x, y) => y.length - x.length || (x[0] < y[0] ? -1 : 1));
}

export interface Column<R> {
	key: string;
	value: (row: R) => string | number | boolean | null | undefined;
}

/**
 * A table as CSV, every cell through the shared cell(): numbers plain (a negative change stays a
 * number), text quoted and safe from formulas, booleans ja/nee like every CSV of the portal.
 */
export function tableCsv<R>(
	columns: Column<R>[],
	rows: R[],
	dialect: CsvDialect = CSV_DEFAULT
): string {
	return (
		CSV_BOM +
		csvLine(
			columns.map((c) => c.key),
			dialect
		) +
		rows
			.map((r) =>
				csvLine(
					columns.map((c) => c.value(r)),
					dialect
				)
			)
			.join('')
	);
}

/** "2026-03" for a month start; months in Europe/Amsterdam, as residents count them. */
export function monthRange(from: string, to: string): string[] {
	const out: string[] = [];
	let [y, m] = from.split('-').map(Number);
	const [ty, tm] = to.split('-').map(Number);
	while (y < ty || (y === ty && m <= tm)) {
		out.push(`${y}-${String(m).padStart(2, '0')}`);
		m++;
		if (m > 12) ((m = 1), y++);
	}
	return out;
}
