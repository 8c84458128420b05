import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	encodeCursor,
	ParamError,
	parseBbox,
	parseDate,
	parseItemQuery
} from '../../src/lib/domain/filters.ts';
import { LAYERS, STATUSES } from '../../src/lib/domain/layers.ts';
import { ImportError, parseFeatureCollection } from '../../src/lib/server/import/areas.ts';
import { parseCsv } from '../../src/lib/server/import/items-csv.ts';
import { readRecords } from '../../src/lib/server/import/items.ts';

/** A reader may refuse input, but only with its own kind of error: never a crash from inside. */
function refusesCleanly(fn: () => unknown, kind: new (...a: never[]) => Error = Error): boolean {
	try {
		fn();
		return true;
	} catch (e) {
		if (!(e instanceof kind) || e instanceof TypeError || e instanceof RangeError) throw e;
		expect((e as Error).message.length).toBeGreaterThan(0);
		return true;
	}
}

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

describe('CSV reader (item imports)', () => {
	it('reads back any table written with quotes, either delimiter, BOM or not, LF or CRLF', () => {
		const name = fc
			.string({ minLength: 1, maxLength: 12 })
			.map((s) => s.trim())
			.filter((s) => s.length > 0);
		fc.assert(
			fc.property(
				fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
				fc.constantFrom(',', ';', '\t'),
				fc.boolean(),
				fc.constantFrom('\n', '\r\n'),
				fc.array(fc.array(fc.string({ maxLength: 20 }), { minLength: 6, maxLength: 6 }), {
					maxLength: 8
				}),
				(header, delim, bom, eol, cells) => {
					const rows = cells
						.map((r) => r.slice(0, header.length))
						.map((r) => [r[0] || 'x', ...r.slice(1)]);
					const text =
						(bom ? '\ufeff' : '') +
						[header, ...rows].map((r) => r.map(quote).join(delim)).join(eol) +
						eol;
					const t = parseCsv(text);
					expect(t.header).toEqual(header);
					expect(t.rows.map((r) => header.map((h) => r.cells[h]))).toEqual(rows);
				}
			)
		);
	});

	it('refuses arbitrary text only with a plain error message', () => {
		fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => refusesCleanly(() => parseCsv(s))));
		fc.assert(
			fc.property(
				fc.string({
					unit: fc.constantFrom('"', ',', ';', '\n', '\r', 'a', ' ', '\ufeff'),
					maxLength: 60
				}),
				(s) => refusesCleanly(() => parseCsv(s))
			)
		);
	});
});

describe('GeoJSON readers (area and item imports)', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-prop-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const geometry = fc.oneof(
		fc.constant(null),
		fc.record({
			type: fc.constantFrom('Point', 'Polygon', 'Nonsense'),
			coordinates: fc.jsonValue()
		})
	);
	const feature = fc.oneof(
		fc.record({
			type: fc.constant('Feature'),
			properties: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue())),
			geometry
		}),
		fc.jsonValue()
	);
	const collection = fc.oneof(
		fc.record({
			type: fc.constant('FeatureCollection'),
			features: fc.array(feature, { maxLength: 5 })
		}),
		fc.jsonValue()
	);

	it('the area reader refuses any JSON value with an ImportError or returns a collection', () => {
		fc.assert(
			fc.property(collection, (value) =>
				refusesCleanly(() => {
					const got = parseFeatureCollection(JSON.stringify(value));
					expect(got.features.length).toBeGreaterThan(0);
				}, ImportError)
			)
		);
		fc.assert(
			fc.property(fc.string(), (s) => refusesCleanly(() => parseFeatureCollection(s), ImportError))
		);
	});

	it('the item reader turns any file into records or one Dutch error', () => {
		let n = 0;
		fc.assert(
			fc.property(
				fc.oneof(
					collection.map((v) => JSON.stringify(v)),
					fc.string()
				),
				fc.constantFrom('.geojson', '.csv'),
				(text, ext) => {
					const file = path.join(dir, `f${n++}${ext}`);
					writeFileSync(file, text);
					return refusesCleanly(() => {
						for (const r of readRecords(file)) expect(typeof r.props).toBe('object');
					});
				}
			),
			{ numRuns: 200 }
		);
	});
});

describe('API parameter parsers', () => {
	const lon = fc.double({ min: -180, max: 180, noNaN: true }).map((x) => Math.round(x * 1e6) / 1e6);
	const lat = fc.double({ min: -90, max: 90, noNaN: true }).map((x) => Math.round(x * 1e6) / 1e6);
	const bboxText = fc
		.tuple(lon, lat, lon, lat)
		.map(([a, b, c, d]) => [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)]);
	const fixed = (x: number) =>
		x
			.toFixed(6)
			.replace(/\.?0+$/, '')
			.replace(/^-0$/, '0');

	it('parseBbox accepts every box it describes and throws only ParamError', () => {
		fc.assert(
			fc.property(bboxText, (b) => {
				expect(parseBbox(b.map(fixed).join(','))).toEqual(b.map((x) => Number(fixed(x))));
			})
		);
		fc.assert(fc.property(fc.string(), (s) => refusesCleanly(() => parseBbox(s), ParamError)));
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.double().map(String), fc.string({ maxLength: 4 })), { maxLength: 6 }),
				(parts) => refusesCleanly(() => parseBbox(parts.join(',')), ParamError)
			)
		);
	});

	it('parseDate accepts its own ISO output and days, and throws only ParamError', () => {
		const instant = fc.date({
			min: new Date('1900-01-01'),
			max: new Date('2200-01-01'),
			noInvalidDate: true
		});
		fc.assert(
			fc.property(instant, (d) => {
				expect(parseDate(d.toISOString(), 'from', false)?.getTime()).toBe(d.getTime());
			})
		);
		fc.assert(
			fc.property(instant, (d) => {
				const day = d.toISOString().slice(0, 10);
				expect(
					parseDate(day, 'to', true)!.getTime() - parseDate(day, 'from', false)!.getTime()
				).toBe(86_400_000);
			})
		);
		fc.assert(
			fc.property(fc.string(), (s) => refusesCleanly(() => parseDate(s, 'from', false), ParamError))
		);
	});

	it('parseItemQuery throws only ParamError and accepts the query its result describes', () => {
		const themes = ['groen', 'verkeer', 'wonen'];
		const names = [
			'layer',
			'theme',
			'status',
			'area',
			'bbox',
			'from',
			'to',
			'q',
			'limit',
			'cursor',
			'count',
			'format',
			'x'
		];
		const statuses = Object.values(STATUSES)
			.flat()
			.map((s) => s.id);
		const value = fc.oneof(
			fc.string({ maxLength: 30 }),
			fc.constantFrom(
				...LAYERS,
				...themes,
				...statuses,
				'true',
				'0',
				'csv',
				'5000',
				'5001',
				'2024-02-30',
				'2025-01-01',
				"1' OR '1'='1",
				'\u202e',
				'\0'
			),
			bboxText.map((b) => b.map(fixed).join(','))
		);
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 8 }),
				(pairs) => {
					let q;
					try {
						q = parseItemQuery(new URLSearchParams(pairs), themes);
					} catch (e) {
						if (!(e instanceof ParamError)) throw e;
						return;
					}
					const again = new URLSearchParams();
					for (const l of q.layers) again.append('layer', l);
					for (const t of q.themes) again.append('theme', t);
					for (const s of q.statuses) again.append('status', s);
					if (q.area) again.set('area', q.area);
					if (q.bbox) again.set('bbox', q.bbox.join(','));
					if (q.from) again.set('from', q.from.toISOString());
					if (q.to) again.set('to', q.to.toISOString());
					if (q.q) again.set('q', q.q);
					// A CSV or GeoPackage without limit means every row: say it the same way.
					if (!q.all) again.set('limit', String(q.limit));
					if (q.after !== null) again.set('cursor', encodeCursor(q.after));
					again.set('count', String(q.count));
					again.set('format', q.format);
					expect(parseItemQuery(again, themes)).toEqual(q);
				}
			),
			{ numRuns: 500 }
		);
	});
});
