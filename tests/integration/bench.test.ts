import { describe, expect, it } from 'vitest';
import { formatTable, runBench } from '../../src/lib/server/bench/run.ts';
import { onPostgres, storeName } from '../helpers/db.ts';

// The benchmark must not rot: run it end to end at a tiny size. Timings are never asserted.
describe(`benchmark at 1k (${storeName})`, () => {
	// Two stores, the Utrecht import, tiles and an HTTP leg: minutes on a shared 2-core machine.
	it('measures every figure and prints the table', { timeout: 400_000 }, async () => {
		const r = await runBench({
			sizes: [300, 1000],
			others: 200,
			reps: 5,
			// The capped and national legs at toy sizes: DBSCAN only at 300, a country of ~300 buurten.
			analysisUpTo: 300,
			nationalBuurten: 300,
			http: true,
			browser: true,
			loadRequests: 50,
			stores: [onPostgres ? 'postgres' : 'pglite'],
			postgresUrl: process.env.DATABASE_URL
		});
		expect(r.results.map((x) => x.meldingen)).toEqual([300, 1000]);
		// One store grows in place: the other layers come once, with the first size.
		expect(r.results[0].items).toBeGreaterThan(300 + 200);
		expect(r.results[1].items - r.results[0].items).toBeGreaterThanOrEqual(700);
		expect(r.results[1].items - r.results[0].items).toBeLessThan(900);
		for (const x of r.results) {
			expect(Number.isFinite(x.bboxTheme.p95)).toBe(true);
			expect(Number.isFinite(x.areaWijk.p95)).toBe(true);
			expect(Number.isFinite(x.tileCity.p95) && Number.isFinite(x.tileStreet.p95)).toBe(true);
			if (x.httpTile) expect(Number.isFinite(x.httpTile.p95)).toBe(true);
			expect(Number.isFinite(x.choropleth.p95)).toBe(true);
		}
		expect(Number.isFinite(r.results[0].clusters!.p95)).toBe(true);
		expect(r.results[1].clusters).toBeNull();
		expect(r.results[1].capped.join()).toMatch(/DBSCAN/);
		for (const x of r.results) {
			// npm test builds before the browser tests; the HTTP leg runs whenever a build exists.
			if (x.httpBboxTheme) expect(Number.isFinite(x.httpBboxTheme.p95)).toBe(true);
		}
		expect(r.areaAssignment[0].points).toBeGreaterThan(9000);
		expect(r.areaAssignment[0].indexPerSec).toBeGreaterThan(0);
		expect(r.tiles[0].tiles).toBeGreaterThan(0);
		const national = r.tiles[0].national!;
		expect(national.buurten).toBeGreaterThan(200);
		expect(national.wijken).toBeGreaterThan(20);
		expect(national.gemeenten).toBeGreaterThan(2);
		expect(national.tiles).toBeGreaterThan(r.tiles[0].tiles);
		expect(r.generation.ms).toBeGreaterThanOrEqual(0);
		// Every goal of the issue has a verdict row; the verdicts themselves are timings, not asserted.
		const goals = r.goals.map((g) => g.goal).join('\n');
		for (const g of [
			/bbox\+thema p95 bij 1k/,
			/wijk p95 1k \/ p95 300/,
			/gebiedstoewijzing/,
			/nationaal/,
			/genereren/,
			/begin tot eind/
		])
			expect(goals).toMatch(g);
		if (onPostgres) expect(goals).toMatch(/tegel p95/);
		expect(formatTable(r)).toMatch(/bbox\+thema/);
		expect(formatTable(r)).toMatch(/tegel stad z12/);
		expect(formatTable(r)).toMatch(/clusters DBSCAN/);
		expect(formatTable(r)).toMatch(/\| doel \| store \| gemeten \| grens \| gehaald \|/);
		expect(formatTable(r)).toMatch(/gebiedstegels nationaal/);
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
			// The browser, load and bundle goals get their verdict rows too, from this run's figures.
			const verdict = (re: RegExp) => r.goals.find((g) => re.test(g.goal))!;
			const ratio = largest.browser!.firstIdle / largest.browser!.baselineFirstIdle!;
			expect(verdict(/eerste idle \/ naïeve pagina bij 1k/).met).toBe(ratio <= 0.5 + 0.005);
			expect(verdict(/filter → idle mediaan bij 1k/).met).toBe(
				largest.browser!.filterIdleMedian <= 100
			);
			expect(verdict(/belasting 1k: fouten/)).toMatchObject({ measured: 0, met: true });
			expect(verdict(/eigen JavaScript/).measured).toBe(Math.round(r.bundle!.appGzip / 1024));
		}
	});
});
