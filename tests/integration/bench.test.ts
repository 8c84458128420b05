import { describe, expect, it } from 'vitest';
import { formatTable, runBench } from '../../src/lib/server/bench/run.ts';
import { onPostgres, storeName } from '../helpers/db.ts';

// The benchmark must not rot: run it end to end at a tiny size. Timings are never asserted.
describe(`benchmark at 1k (${storeName})`, () => {
	it('measures every figure and prints the table', async () => {
		const r = await runBench({
			sizes: [300, 1000],
			reps: 5,
			http: true,
			browser: true,
			loadRequests: 50,
			stores: [onPostgres ? 'postgres' : 'pglite'],
			postgresUrl: process.env.DATABASE_URL
		});
		expect(r.results.map((x) => x.meldingen)).toEqual([300, 1000]);
		for (const x of r.results) {
			expect(x.items).toBeGreaterThan(x.meldingen);
			expect(Number.isFinite(x.bboxTheme.p95)).toBe(true);
			expect(Number.isFinite(x.areaWijk.p95)).toBe(true);
			expect(Number.isFinite(x.tileCity.p95) && Number.isFinite(x.tileStreet.p95)).toBe(true);
			if (x.httpTile) expect(Number.isFinite(x.httpTile.p95)).toBe(true);
			// npm test builds before the browser tests; the HTTP leg runs whenever a build exists.
			if (x.httpBboxTheme) expect(Number.isFinite(x.httpBboxTheme.p95)).toBe(true);
		}
		expect(r.areaAssignment[0].points).toBeGreaterThan(9000);
		expect(r.areaAssignment[0].indexPerSec).toBeGreaterThan(0);
		expect(r.tiles[0].tiles).toBeGreaterThan(0);
		expect(formatTable(r)).toMatch(/bbox\+thema/);
		expect(formatTable(r)).toMatch(/tegel stad z12/);
		const largest = r.results[r.results.length - 1];
		if (largest.httpBboxTheme) {
			expect(largest.browser!.firstIdle).toBeGreaterThan(0);
			expect(largest.browser!.baselineFirstIdle).toBeGreaterThan(0);
			expect(largest.browser!.filterIdleMedian).toBeGreaterThan(0);
			expect(largest.load!.items.requests).toBe(50);
			expect(largest.load!.items.errors + largest.load!.tiles.errors).toBe(0);
			expect(r.bundle!.appGzip).toBeGreaterThan(10_000);
			expect(r.bundle!.maplibreGzip).toBeGreaterThan(100_000);
			expect(formatTable(r)).toMatch(/eerste idle/);
		}
	}, 300_000);
});
