import { describe, expect, it } from 'vitest';
import {
	etagOf,
	parseRange,
	planResponse,
	type RequestConditions
} from '../../src/lib/server/tiles/range.ts';

const file = { size: 100_000, mtimeMs: Date.UTC(2026, 0, 5, 12, 0, 0, 250) };
const ask = (c: Partial<RequestConditions>) =>
	planResponse(
		{ range: null, ifNoneMatch: null, ifModifiedSince: null, ifRange: null, ...c },
		file
	);

describe('HTTP Range for the tile archive', () => {
	it('reads the forms MapLibre and pmtiles send', () => {
		expect(parseRange('bytes=0-16383', 100_000)).toEqual({ start: 0, end: 16383 });
		expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
		expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
		expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
		expect(parseRange('Bytes=7-7', 1000)).toEqual({ start: 7, end: 7 });
		expect(parseRange(null, 1000)).toBeNull();
	});

	it('clips a range past the end: a first 16 KiB read of a small archive gets what there is', () => {
		expect(parseRange('bytes=0-16383', 5000)).toEqual({ start: 0, end: 4999 });
	});

	it('refuses ranges that start past the end, and an empty suffix', () => {
		expect(parseRange('bytes=5000-6000', 1000)).toBe('unsatisfiable');
		expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
		expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
	});

	it('ignores what is not one valid range, as RFC 9110 asks', () => {
		expect(parseRange('bytes=9-3', 1000)).toBeNull();
		expect(parseRange('bytes=-', 1000)).toBeNull();
		expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
		expect(parseRange('items=0-1', 1000)).toBeNull();
	});
});

describe('response plan', () => {
	it('answers a range with 206, Content-Range and the caching headers', () => {
		const p = ask({ range: 'bytes=0-16383' });
		expect(p).toMatchObject({ status: 206, start: 0, end: 16383 });
		expect(p.headers).toMatchObject({
			'content-range': 'bytes 0-16383/100000',
			'accept-ranges': 'bytes',
			etag: etagOf(file),
			'cache-control': 'no-cache',
			'last-modified': 'Mon, 05 Jan 2026 12:00:00 GMT'
		});
	});

	it('answers no range with the whole file', () => {
		expect(ask({})).toMatchObject({ status: 200, start: 0, end: 99_999 });
	});

	it('answers an unsatisfiable range with 416 and the size', () => {
		const p = ask({ range: 'bytes=200000-' });
		expect(p.status).toBe(416);
		expect(p.headers['content-range']).toBe('bytes */100000');
	});

	it('revalidates: 304 while the ETag or date still matches, the bytes once the file changed', () => {
		const etag = etagOf(file);
		expect(ask({ ifNoneMatch: etag, range: 'bytes=0-10' }).status).toBe(304);
		expect(ask({ ifNoneMatch: `"other", W/${etag}` }).status).toBe(304);
		expect(ask({ ifNoneMatch: '"other"', range: 'bytes=0-10' }).status).toBe(206);
		expect(ask({ ifModifiedSince: 'Mon, 05 Jan 2026 12:00:00 GMT' }).status).toBe(304);
		expect(ask({ ifModifiedSince: 'Mon, 05 Jan 2026 11:59:59 GMT' }).status).toBe(200);
		// If-None-Match wins over If-Modified-Since.
		expect(
			ask({ ifNoneMatch: '"other"', ifModifiedSince: 'Mon, 05 Jan 2026 12:00:00 GMT' }).status
		).toBe(200);
	});

	it('gives a new ETag to a rebuilt archive, even of the same size', () => {
		expect(etagOf({ ...file, mtimeMs: file.mtimeMs + 1 })).not.toBe(etagOf(file));
		expect(etagOf(file)).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
	});

	it('sends the whole file when If-Range names an older version', () => {
		expect(ask({ range: 'bytes=0-10', ifRange: etagOf(file) }).status).toBe(206);
		expect(ask({ range: 'bytes=0-10', ifRange: '"old"' }).status).toBe(200);
	});
});
