/**
 * The home page's filters, read from its URL. Shared by the server load (first render, no
 * JavaScript) and the page itself, which follows the URL without asking the server again.
 */
export const FILTER_KEYS = ['layer', 'theme', 'status', 'area', 'from', 'to', 'q'] as const;

export interface HomeFilters {
	layers: string[];
	themes: string[];
	status: string;
	area: string;
	from: string;
	to: string;
	q: string;
}

/** Filter parameters only (everything else, e.g. lang, stays out of the item query). */
export function filterParams(search: URLSearchParams): URLSearchParams {
	const out = new URLSearchParams();
	for (const [k, v] of search)
		if ((FILTER_KEYS as readonly string[]).includes(k) && v !== '') out.append(k, v);
	return out;
}

export function homeFilters(params: URLSearchParams): HomeFilters {
	const list = (k: string) =>
		params
			.getAll(k)
			.flatMap((v) => v.split(','))
			.filter(Boolean);
	return {
		layers: list('layer'),
		themes: list('theme'),
		status: params.get('status') ?? '',
		area: params.get('area') ?? '',
		from: params.get('from') ?? '',
		to: params.get('to') ?? '',
		q: params.get('q') ?? ''
	};
}

/**
 * An item query split in what the store must answer and the themes a client can apply itself to
 * what it holds: items and tile cells carry their theme (cells a count per theme).
 */
export function splitThemes(itemQuery: string): { rest: string; themes: string[] } {
	const params = new URLSearchParams(itemQuery);
	const themes = params
		.getAll('theme')
		.flatMap((v) => v.split(','))
		.filter(Boolean);
	params.delete('theme');
	return { rest: params.toString(), themes };
}
