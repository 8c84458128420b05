import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SHARED_UTRECHT } from './db.ts';

/**
 * A local stand-in for PDOK's OGC API Features of the CBS wijk- en buurtkaart, serving the
 * shared Utrecht data in PDOK's shape (property names, paging with rel="next"). The tests
 * never reach an outside host.
 */
export interface FakePdok {
	baseUrl: string;
	requests: string[];
	close(): Promise<void>;
}

function load(file: string) {
	return JSON.parse(readFileSync(path.join(SHARED_UTRECHT, file), 'utf8')).features as {
		properties: Record<string, string>;
		geometry: unknown;
	}[];
}

/** Population per area, deterministic, so the test knows what to expect. */
export const fakePopulation = (code: string) => 1000 + (Number(code) % 97) * 37;

export async function startFakePdok(pageSize = 25): Promise<FakePdok> {
	const collections: Record<string, unknown[]> = {
		wijken: load('wijk.geojson').map((f) => ({
			type: 'Feature',
			properties: {
				wijkcode: `WK0344${f.properties.KODE}`,
				wijknaam: f.properties.NAAM,
				gemeentecode: 'GM0344',
				gemeentenaam: 'Utrecht',
				aantal_inwoners: fakePopulation(f.properties.KODE)
			},
			geometry: f.geometry
		})),
		buurten: load('buurt.geojson').map((f) => ({
			type: 'Feature',
			properties: {
				buurtcode: `BU0344${f.properties.KODE}`,
				buurtnaam: f.properties.NAAM,
				wijkcode: `WK0344${f.properties.WIJKKODE}`,
				gemeentecode: 'GM0344',
				gemeentenaam: 'Utrecht',
				aantal_inwoners: fakePopulation(f.properties.KODE)
			},
			geometry: f.geometry
		}))
	};
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		requests.push(url.pathname + url.search);
		const m = url.pathname.match(
			/^\/cbs\/wijken-en-buurten-(\d{4})\/ogc\/v1\/collections\/(\w+)\/items$/
		);
		const all = m ? collections[m[2]] : undefined;
		if (!all) {
			res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NotFound"}');
			return;
		}
		const gm = url.searchParams.get('gemeentecode');
		const matched = all.filter(
			(f) => !gm || (f as { properties: { gemeentecode: string } }).properties.gemeentecode === gm
		);
		const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), pageSize);
		const offset = Number(url.searchParams.get('offset') ?? 0);
		const page = matched.slice(offset, offset + limit);
		const links = [{ rel: 'self', href: url.toString(), type: 'application/geo+json' }];
		if (offset + limit < matched.length) {
			const next = new URL(url);
			next.searchParams.set('offset', String(offset + limit));
			next.host = req.headers.host ?? next.host;
			links.push({
				rel: 'next',
				href: `http://${req.headers.host}${next.pathname}${next.search}`,
				type: 'application/geo+json'
			});
		}
		res.writeHead(200, { 'content-type': 'application/geo+json' });
		res.end(
			JSON.stringify({
				type: 'FeatureCollection',
				numberMatched: matched.length,
				numberReturned: page.length,
				timeStamp: new Date().toISOString(),
				features: page,
				links
			})
		);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/cbs/wijken-en-buurten-{jaar}/ogc/v1`,
		requests,
		close: () => new Promise((r) => server.close(() => r()))
	};
}
