import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { json } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { parseRange } from '$lib/server/tiles/range';
import type { RequestHandler } from './$types';

/** The area tiles, read by MapLibre through the pmtiles protocol with HTTP range requests. */
async function serve(request: Request, withBody: boolean): Promise<Response> {
	const file = path.join(config().tilesDir, 'areas.pmtiles');
	const info = await stat(file).catch(() => null);
	if (!info) return json({ error: 'De kaarttegels van de gebieden ontbreken; start het portaal opnieuw of draai npm run tiles.' }, { status: 404 });
	const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
	const headers: Record<string, string> = {
		'accept-ranges': 'bytes',
		etag,
		'last-modified': info.mtime.toUTCString(),
		// Revalidate every time: a re-import must show at once, and the ETag makes that cheap.
		'cache-control': 'no-cache',
		'content-type': 'application/vnd.pmtiles'
	};
	if (request.headers.get('if-none-match') === etag && !request.headers.get('range')) {
		return new Response(null, { status: 304, headers });
	}
	const range = parseRange(request.headers.get('range'), info.size);
	if (range === 'unsatisfiable') {
		return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${info.size}` } });
	}
	const { start, end } = range ?? { start: 0, end: info.size - 1 };
	const length = end - start + 1;
	headers['content-length'] = String(length);
	if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
	let body: Uint8Array | null = null;
	if (withBody) {
		const fh = await open(file, 'r');
		try {
			body = new Uint8Array(length);
			await fh.read(body, 0, length, start);
		} finally {
			await fh.close();
		}
	}
	return new Response(body as BodyInit | null, { status: range ? 206 : 200, headers });
}

export const GET: RequestHandler = ({ request }) => serve(request, true);
export const HEAD: RequestHandler = ({ request }) => serve(request, false);
