import { describe, expect, it } from 'vitest';
import {
	MIN_POPULATION,
	change,
	classBreaks,
	classIndex,
	groupPairs,
	legend,
	monthRange,
	perThousand,
	previousPeriod,
	tableCsv,
	themesAboveMedian
} from '../../src/lib/domain/analyse.ts';
import { parseAnalyseQuery } from '../../src/lib/domain/analyse-params.ts';

describe('analysis rules', () => {
	it('rates per 1,000 inhabitants and says why when it cannot', () => {
		expect(perThousand(15, 2000)).toEqual({ value: 7.5, reason: null });
		expect(perThousand(3, null)).toEqual({ value: null, reason: 'geen-inwonertal' });
		expect(perThousand(3, MIN_POPULATION - 1)).toEqual({
			value: null,
			reason: 'te-weinig-inwoners'
		});
		expect(perThousand(0, MIN_POPULATION).value).toBe(0);
	});

	it('takes the previous period of equal length and the change against it', () => {
		const p = previousPeriod(new Date('2026-02-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
		expect(p).toEqual({
			from: new Date('2026-01-04T00:00:00Z'),
			to: new Date('2026-02-01T00:00:00Z')
		});
		expect(() => previousPeriod(new Date('2026-02-01'), new Date('2026-02-01'))).toThrow(
			/from moet voor to/
		);
		expect(change(5, 3)).toEqual({ diff: 2, pct: (2 / 3) * 100 });
		expect(change(4, 0)).toEqual({ diff: 4, pct: null });
	});

	it('breaks classes by quantiles and by natural breaks', () => {
		const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		// Quantiles of 10 values into 5 classes: two values each.
		const q = classBreaks(v, 5, 'quantile');
		expect(v.map((x) => classIndex(x, q))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
		// Natural breaks put the bounds at the jumps.
		expect(classBreaks([1, 1.2, 1.1, 10, 10.5, 11, 50, 52], 3, 'jenks')).toEqual([1.2, 11, 52]);
		// Fewer distinct values than classes: fewer classes, never empty ones.
		expect(classBreaks([3, 3, 3], 5, 'quantile')).toEqual([3]);
		expect(classBreaks([], 5, 'jenks')).toEqual([]);
		const l = legend(v, q, ['#a', '#b', '#c', '#d', '#e']);
		expect(l.map((c) => [c.min, c.max, c.count])).toEqual([
			[1, q[0], 2],
			[q[0], q[1], 2],
			[q[1], q[2], 2],
			[q[2], q[3], 2],
			[q[3], 10, 2]
		]);
		expect(l.map((c) => c.color)).toEqual(['#a', '#b', '#c', '#d', '#e']);
	});

	it('finds themes above the median cell in enough wards', () => {
		const cells = [
			{ ward: 'A', theme: 'x', rate: 9 },
			{ ward: 'B', theme: 'x', rate: 8 },
			{ ward: 'C', theme: 'x', rate: 7 },
			{ ward: 'A', theme: 'y', rate: 1 },
			{ ward: 'B', theme: 'y', rate: 6 },
			{ ward: 'C', theme: 'y', rate: 0 },
			{ ward: 'A', theme: 'z', rate: 2 },
			{ ward: 'B', theme: 'z', rate: 3 },
			{ ward: 'C', theme: 'z', rate: null }
		];
		// Median of 9, 8, 7, 1, 6, 0, 2, 3 is (3 + 6) / 2 = 4.5.
		const r = themesAboveMedian(cells, 1);
		expect(r.median).toBe(4.5);
		expect(r.themes).toEqual([
			{ theme: 'x', wards: ['A', 'B', 'C'] },
			{ theme: 'y', wards: ['B'] }
		]);
		expect(themesAboveMedian(cells, 2).themes.map((t) => t.theme)).toEqual(['x']);
	});

	it('joins overlapping pairs into groups', () => {
		expect(
			groupPairs([
				{ a: 'a', b: 'b' },
				{ a: 'c', b: 'd' },
				{ a: 'b', b: 'e' }
			])
		).toEqual([
			['a', 'b', 'e'],
			['c', 'd']
		]);
		expect(groupPairs([])).toEqual([]);
	});

	it('writes tables as CSV with numbers as numbers and text safe from formulas', () => {
		const csv = tableCsv(
			[
				{ key: 'naam', value: (r: { n: string; v: number }) => r.n },
				{ key: 'waarde', value: (r) => r.v }
			],
			[
				{ n: '=SOM(A1)', v: -2 },
				{ n: 'Oost, Noord', v: 1.5 }
			]
		);
		expect(csv).toBe('\uFEFF"naam","waarde"\r\n"\'=SOM(A1)",-2\r\n"Oost, Noord",1.5\r\n');
	});

	it('lists months across a year end', () => {
		expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
	});

	it('reads the analysis parameters beside the item filters, with Dutch errors', () => {
		const q = parseAnalyseQuery(
			new URLSearchParams('layer=meldingen&measure=per1000&eps=200&minPoints=5&breaks=jenks'),
			['afval']
		);
		expect([q.filter.layers, q.measure, q.eps, q.minPoints, q.breaks, q.buffer, q.format]).toEqual([
			['meldingen'],
			'per1000',
			200,
			5,
			'jenks',
			100,
			'json'
		]);
		expect(() => parseAnalyseQuery(new URLSearchParams('measure=dichtheid'), [])).toThrow(
			/onbekende measure/
		);
		expect(() => parseAnalyseQuery(new URLSearchParams('eps=5'), [])).toThrow(
			/eps moet een geheel getal van 10/
		);
		expect(() => parseAnalyseQuery(new URLSearchParams('format=geojson'), [])).toThrow(
			/onbekend format/
		);
		expect(() => parseAnalyseQuery(new URLSearchParams('layer=fietsen'), [])).toThrow(
			/onbekende layer/
		);
		expect(
			parseAnalyseQuery(new URLSearchParams('format=geojson'), [], ['json', 'geojson']).format
		).toBe('geojson');
	});
});
