import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for PDOK Locatieserver's free search (search/v3_1/free), answering with one
 * address document in PDOK's shape, so the optional remote path is tested without going out.
 */
export async function startFakeLocatieserver(): Promise<{
	baseUrl: string;
	requests: string[];
	close(): Promise<void>;
}> {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		requests.push(url.pathname + url.search);
		if (url.pathname !== '/search/v3_1/free') {
			res.writeHead(404).end();
			return;
		}
		const q = url.searchParams.get('q') ?? '';
		const docs = /domplein/i.test(q)
			? [
					{
						type: 'adres',
						weergavenaam: 'Domplein 29, 3512JE Utrecht',
						centroide_ll: 'POINT(5.12135 52.09085)',
						straatnaam: 'Domplein',
						huisnummer: 29,
						postcode: '3512JE',
						woonplaatsnaam: 'Utrecht'
					}
				]
			: [];
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ response: { numFound: docs.length, start: 0, maxScore: 1, docs } }));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/search/v3_1`,
		requests,
		close: () => new Promise((r) => server.close(() => r()))
	};
}
