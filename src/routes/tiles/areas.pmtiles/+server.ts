import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { msg, NotFoundError } from '$lib/domain/errors';
import { config } from '$lib/server/config';
import { endpoint } from '$lib/server/http/errors';
import { planResponse } from '$lib/server/tiles/range';
import type { RequestHandler } from './$types';

/** The area tiles, read by MapLibre through the pmtiles protocol with HTTP range requests. */
async function serve(request: Request, withBody: boolean): Promise<Response> {
	const file = path.join(config().tilesDir, 'areas.pmtiles');
	// Size, date and bytes from one open file: a rebuild renames a new file over this one, and
	// an open handle keeps reading the version it opened.
	const fh = await open(file, 'r').catch(() => null);
	if (!fh) {
		throw new NotFoundError(msg('errors.tile.areasMissing'));
	}
	let streaming = false;
	try {
		const info = await fh.stat();
		const h = request.headers;
		const plan = planResponse(
			{ range: h.get('range'), ifNoneMatch: h.get('if-none-match'), ifModifiedSince: h.get('if-modified-since'), ifRange: h.get('if-range') },
			info
		);
		const headers = new Headers(plan.headers);
		if (plan.status !== 200 && plan.status !== 206) return new Response(null, { status: plan.status, headers });
		const length = plan.end - plan.start + 1;
		headers.set('content-type', 'application/vnd.pmtiles');
		headers.set('content-length', String(length));
		if (!withBody || length === 0) return new Response(null, { status: plan.status, headers });
		const body = Readable.toWeb(fh.createReadStream({ start: plan.start, end: plan.end, autoClose: true }));
		streaming = true;
		return new Response(body as ReadableStream, { status: plan.status, headers });
	} finally {
		if (!streaming) await fh.close();
	}
}

export const GET: RequestHandler = endpoint(({ request }) => serve(request, true));
export const HEAD: RequestHandler = endpoint(({ request }) => serve(request, false));
