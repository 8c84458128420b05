import type { BenchResult, Goal } from './results.ts';

const ITEM_P95_LIMIT: Record<string, number> = { postgres: 25, pglite: 100 };
const TILE_P95_LIMIT = 50;
const GROWTH_LIMIT = 2;
const ASSIGN_PER_SEC = 100_000;
const NATIONAL_TILES_MS = 60_000;
const GENERATE_MS = 60_000;
const WALL_MS = 20 * 60_000;
const FIRST_IDLE_RATIO = 0.5;
const FILTER_IDLE_MS = 100;
const APP_GZIP_KB = 120;

export const sizeLabel = (n: number) =>
	n >= 1e6 && n % 1e6 === 0
		? `${n / 1e6}M`
		: n >= 1000 && n % 1000 === 0
			? `${n / 1000}k`
			: String(n);

export function evaluateGoals(r: BenchResult): Goal[] {
	const goals: Goal[] = [];
	const add = (
		goal: string,
		store: string | null,
		measured: number | null,
		limit: number,
		unit: string,
		kind: Goal['kind'] = 'max'
	) =>
		goals.push({
			goal,
			store,
			measured,
			limit,
			kind,
			unit,
			met: measured === null ? null : kind === 'max' ? measured <= limit : measured >= limit
		});
	for (const store of new Set(r.results.map((x) => x.store))) {
		const rows = r.results.filter((x) => x.store === store);
		const [small, large] = [rows[0], rows[rows.length - 1]];
		const big = sizeLabel(large.meldingen);
		const tiny = sizeLabel(small.meldingen);
		add(`bbox+thema p95 bij ${big}`, store, large.bboxTheme.p95, ITEM_P95_LIMIT[store], 'ms');
		add(`wijk p95 bij ${big}`, store, large.areaWijk.p95, ITEM_P95_LIMIT[store], 'ms');
		add(
			`bbox+thema p95 ${big} / p95 ${tiny}`,
			store,
			ratio(large.bboxTheme.p95, small.bboxTheme.p95),
			GROWTH_LIMIT,
			'×'
		);
		add(
			`wijk p95 ${big} / p95 ${tiny}`,
			store,
			ratio(large.areaWijk.p95, small.areaWijk.p95),
			GROWTH_LIMIT,
			'×'
		);
		if (store === 'postgres') {
			add(
				`tegel p95 bij ${big} (z12 en z14, zonder cache)`,
				store,
				Math.max(large.tileCity.p95, large.tileStreet.p95),
				TILE_P95_LIMIT,
				'ms'
			);
		}
		for (const x of rows.filter((row) => row.browser)) {
			const b = x.browser!;
			const at = sizeLabel(x.meldingen);
			add(
				`eerste idle / naïeve pagina bij ${at}`,
				store,
				b.baselineFirstIdle ? ratio(b.firstIdle, b.baselineFirstIdle) : null,
				FIRST_IDLE_RATIO,
				'×'
			);
			add(`filter → idle mediaan bij ${at}`, store, b.filterIdleMedian, FILTER_IDLE_MS, 'ms');
		}
		for (const x of rows.filter((row) => row.load)) {
			add(
				`belasting ${sizeLabel(x.meldingen)}: fouten (items en tegels)`,
				store,
				x.load!.items.errors + x.load!.tiles.errors,
				0,
				''
			);
		}
	}
	if (r.bundle)
		add(
			'eigen JavaScript startpagina (gzip)',
			null,
			Math.round(r.bundle.appGzip / 1024),
			APP_GZIP_KB,
			'kB'
		);
	for (const a of r.areaAssignment)
		add(
			'gebiedstoewijzing (index in geheugen)',
			a.store,
			a.indexPerSec,
			ASSIGN_PER_SEC,
			'punten/s',
			'min'
		);
	for (const t of r.tiles) {
		add(
			`gebiedstegels nationaal (${t.national?.buurten.toLocaleString('nl-NL') ?? '–'} buurten)`,
			t.store,
			t.national?.buildMs ?? null,
			NATIONAL_TILES_MS,
			'ms'
		);
	}
	add(
		`genereren ${sizeLabel(r.generation.meldingen)} meldingen + ${sizeLabel(r.generation.others)} andere items`,
		null,
		r.generation.ms,
		GENERATE_MS,
		'ms'
	);
	add('npm run bench van begin tot eind', null, r.wallMs, WALL_MS, 'ms');
	return goals;
}

function ratio(a: number, b: number): number {
	return Math.round((a / b) * 100) / 100;
}
