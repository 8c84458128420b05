import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress } from '../../src/lib/server/http/compress.ts';

const big = JSON.stringify({
	type: 'FeatureCollection',
	features: Array.from({ length: 500 }, (_, i) => ({ id: i, title: 'Lantaarnpaal kapot' }))
});
const req = (encoding: string | null, method = 'GET') =>
	new Request('http://x/api/items', {
		method,
		headers: encoding ? { 'accept-encoding': encoding } : {}
	});
const res = (body: string, type = 'application/geo+json; charset=utf-8', status = 200) =>
	new Response(body, { status, headers: { 'content-type': type } });

describe('response compression', () => {
	it('gzips large JSON for clients that accept gzip, to the same bytes', async () => {
		const out = await compress(req('gzip, deflate, br'), res(big));
		expect(out.headers.get('content-encoding')).toBe('gzip');
		expect(out.headers.get('vary')).toMatch(/Accept-Encoding/);
		const zipped = Buffer.from(await out.arrayBuffer());
		expect(zipped.byteLength).toBeLessThan(big.length / 5);
		expect(gunzipSync(zipped).toString()).toBe(big);
	});

	it('leaves alone what should not be compressed', async () => {
		for (const [request, response] of [
			[req(null), res(big)],
			[req('br'), res(big)],
			[req('gzip', 'HEAD'), res(big)],
			[req('gzip'), res(big, 'application/vnd.pmtiles')],
			[req('gzip'), res(big, 'application/json', 404)],
			[req('gzip'), res('{"a":1}')]
		] as const) {
			const out = await compress(request, response);
			expect(out.headers.get('content-encoding')).toBeNull();
		}
	});
});
