import { msg } from './errors.ts';
import { BREAK_METHODS, MEASURES, type BreakMethod, type Measure } from './analyse.ts';
import { ParamError, parseItemQuery, type ItemQuery } from './filters.ts';

/** What every /api/analyse/* endpoint can be asked: the /api/items filters plus these. */
export interface AnalyseQuery {
	filter: ItemQuery;
	/** Area level to aggregate on; null = the coarsest level in the store. */
	level: string | null;
	measure: Measure;
	breaks: BreakMethod;
	classes: number;
	/** DBSCAN neighbourhood in metres and minimum cluster size (null: derived from the density). */
	eps: number;
	minPoints: number | null;
	/** Koppelkansen: items this close (metres) overlap in space. */
	buffer: number;
	/** Themes in many wards: at least this many wards above the median. */
	minWards: number;
	format: 'json' | 'csv' | 'geojson';
}

export const ANALYSE_DEFAULTS = {
	measure: 'count',
	breaks: 'quantile',
	classes: 5,
	eps: 150,
	minPoints: 8,
	buffer: 100,
	minWards: 3
} as const;
const OWN = [
	'level',
	'measure',
	'breaks',
	'classes',
	'eps',
	'minPoints',
	'buffer',
	'minWards',
	'format'
] as const;

export function parseAnalyseQuery(
	params: URLSearchParams,
	themeIds: readonly string[],
	formats: readonly AnalyseQuery['format'][] = ['json', 'csv']
): AnalyseQuery {
	for (const name of OWN) {
		if (params.getAll(name).length > 1)
			throw new ParamError(msg('errors.param.once', { name }), name);
	}
	const rest = new URLSearchParams(params);
	for (const name of OWN) rest.delete(name);
	const filter = parseItemQuery(rest, themeIds);
	const level = params.get('level');
	if (level !== null && !/^[a-z][a-z0-9_-]{0,39}$/.test(level))
		throw new ParamError(msg('errors.param.level', { value: level }), 'level');
	const measure = (params.get('measure') ?? ANALYSE_DEFAULTS.measure) as Measure;
	if (!MEASURES.includes(measure))
		throw new ParamError(
			msg('errors.param.measure', { value: measure, allowed: MEASURES.join(', ') }),
			'measure'
		);
	if (measure === 'change' && (!filter.from || !filter.to)) {
		throw new ParamError(msg('errors.param.change'), 'measure');
	}
	const breaks = (params.get('breaks') ?? ANALYSE_DEFAULTS.breaks) as BreakMethod;
	if (!BREAK_METHODS.includes(breaks))
		throw new ParamError(
			msg('errors.param.breaks', { value: breaks, allowed: BREAK_METHODS.join(', ') }),
			'breaks'
		);
	const format = (params.get('format') ?? 'json') as AnalyseQuery['format'];
	if (!formats.includes(format))
		throw new ParamError(
			msg('errors.param.format', { value: format, allowed: formats.join(', ') }),
			'format'
		);
	return {
		filter,
		level,
		measure,
		breaks,
		classes: int(params, 'classes', ANALYSE_DEFAULTS.classes, 2, 7),
		eps: int(params, 'eps', ANALYSE_DEFAULTS.eps, 10, 2000),
		// Not given: the server derives it from the density (clusters.ts), so a city-wide set does
		// not chain into one hotspot.
		minPoints: params.get('minPoints')
			? int(params, 'minPoints', ANALYSE_DEFAULTS.minPoints, 2, 500)
			: null,
		buffer: int(params, 'buffer', ANALYSE_DEFAULTS.buffer, 0, 2000),
		minWards: int(params, 'minWards', ANALYSE_DEFAULTS.minWards, 1, 500),
		format
	};
}

function int(
	params: URLSearchParams,
	name: string,
	fallback: number,
	min: number,
	max: number
): number {
	const raw = params.get(name);
	if (raw === null || raw === '') return fallback;
	if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
		throw new ParamError(msg('errors.param.int', { name, min, max, value: raw }), name);
	}
	return Number(raw);
}
