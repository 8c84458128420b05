import { createHash } from 'node:crypto';

/**
 * A GET answer with a strong ETag (a hash of the body and its type) and, when given,
 * Last-Modified; 304 without a body when the client's copy is current. If-None-Match wins over
 * If-Modified-Since (RFC 9110 §13.2.2). The type is in the ETag because one body may be served
 * as two types (a feed as Atom, or as XML for a browser): a browser that revalidates its Atom
 * copy on a navigation must not get a 304 that turns the page back into Atom.
 */
export function conditionalResponse(
	request: Request,
	body: string,
	headers: Record<string, string>,
	lastModified?: Date
): Response {
	const etag = `"${createHash('sha256')
		.update(`${headers['content-type'] ?? ''}\n${body}`)
		.digest('base64url')
		.slice(0, 32)}"`;
	const out: Record<string, string> = { ...headers, etag };
	if (lastModified) out['last-modified'] = lastModified.toUTCString();
	const inm = request.headers.get('if-none-match');
	let fresh = false;
	if (inm !== null) {
		fresh = inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
	} else if (lastModified) {
		const ims = Date.parse(request.headers.get('if-modified-since') ?? '');
		// HTTP dates have whole seconds.
		fresh = Number.isFinite(ims) && Math.floor(lastModified.getTime() / 1000) * 1000 <= ims;
	}
	if (fresh) {
		delete out['content-type'];
		return new Response(null, { status: 304, headers: out });
	}
	return new Response(body, { headers: out });
}
