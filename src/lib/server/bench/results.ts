import type { BrowserFigures, BundleFigures } from './browser.ts';
import type { NationalTiles } from './national.ts';
import type { Timing } from './stats.ts';

/**
 * The shapes of a bench run, apart from the code that measures (run.ts), judges (goals.ts)
 * and prints (table.ts) them, so those three do not import each other in a circle.
 */

/** One goal of the performance issue, checked against this run's figures. */
export interface Goal {
	goal: string;
	store: string | null;
	measured: number | null;
	limit: number;
	/** 'max': measured must not exceed limit; 'min': must reach it. */
	kind: 'max' | 'min';
	unit: string;
	/** null when the leg did not run (e.g. no build, no national set). */
	met: boolean | null;
}

export interface SizeResult {
	store: string;
	meldingen: number;
	/** Every item in the store, other layers included. */
	items: number;
	/** Generating and writing what this size added to the previous one. */
	generateMs: number;
	loadMs: number;
	baselineSelect1: Timing;
	bboxTheme: Timing;
	areaWijk: Timing;
	/** GET /api/items?bbox&theme on the built server over loopback; null when not measured. */
	httpBboxTheme: Timing | null;
	/** Item vector tiles built from the store, no cache: a city view (z12, counts) and a street (z14, the deepest tile the map asks for). */
	tileCity: Timing;
	tileStreet: Timing;
	/** GET /tiles/items/… on the built server; repeated tiles come from its cache. */
	httpTile: Timing | null;
	browser: BrowserFigures | null;
	load: { items: LoadFigures; tiles: LoadFigures } | null;
	/** Analysis: meldingen per buurt with per-1,000 rates and class breaks. */
	choropleth: Timing & { runs: number };
	/** Analysis: DBSCAN hotspots of every melding (150 m, 8 points) with hulls and wijken; null when capped. */
	clusters: (Timing & { runs: number; found: number }) | null;
	/** Legs left out or shortened at this size, and why. */
	capped: string[];
}

export interface LoadFigures {
	requests: number;
	perSec: number;
	p99: number;
	errors: number;
}

export interface AreaAssignment {
	store: string;
	points: number;
	postgisPerSec: number;
	indexPerSec: number;
	naivePerSec: number;
}

export interface BenchResult {
	startedAt: string;
	/** The whole run, from reading the data to the last store dropped. */
	wallMs: number;
	machine: { cpus: number; node: string };
	/** Generating the largest set in memory (pure JS, the first store's pass), in chunks as written. */
	generation: { meldingen: number; others: number; ms: number };
	results: SizeResult[];
	areaAssignment: AreaAssignment[];
	tiles: {
		store: string;
		utrechtMs: number;
		tiles: number;
		bytes: number;
		national: NationalTiles | null;
	}[];
	bundle: BundleFigures | null;
	goals: Goal[];
}
