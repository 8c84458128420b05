import type { SecurityText } from './refuse.ts';

/**
 * What an /api write may carry, decided before any handler runs: JSON in UTF-8 (the only
 * charset JSON has, RFC 8259), and for the residents' submissions also a form. Any other
 * wrapping (text/plain, application/merge-patch+json, a foreign charset, a body without a type)
 * is refused with 415, so no route can read a body its caller labelled as something else.
 * Pages (form actions) are checked by badFormBody.
 */
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const FORM_TYPE =
	/^(?:multipart\/form-data\s*;\s*boundary=\S.*|application\/x-www-form-urlencoded\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?)$/i;
/** /api routes that also take a form (a resident's browser without JavaScript, a photo). */
const FORM_ROUTES = new Set(['/api/meldingen', '/api/initiatieven']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isApiPath(url: URL): boolean {
	return url.pathname === '/api' || url.pathname.startsWith('/api/');
}

/** The text key of the 415 for an /api write whose body is not of an accepted type, else null. */
export async function badApiBody(request: Request, url: URL): Promise<SecurityText | null> {
	if (!WRITES.has(request.method) || !isApiPath(url)) return null;
	const forms = FORM_ROUTES.has(url.pathname.replace(/\/+$/, ''));
	const type = request.headers.get('content-type')?.trim() ?? '';
	if (type === '') {
		// No type: only an empty body (a DELETE, a restore without a version) is fine.
		if (request.body === null) return null;
		const bytes = await request
			.clone()
			.arrayBuffer()
			.catch(() => null);
		return bytes !== null && bytes.byteLength === 0
			? null
			: forms
				? 'security.body.typeForm'
				: 'security.body.type';
	}
	if (JSON_TYPE.test(type)) return null;
	if (forms && FORM_TYPE.test(type)) return null;
	return forms ? 'security.body.typeForm' : 'security.body.type';
}

/** C0 control characters and DEL, which no path or query of the portal carries. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * true when the path or query holds a control character (percent-encoded or not) or an
 * unreadable escape: answered 400 before routing, so no handler passes NUL to the store.
 */
export function badAddress(url: URL): boolean {
	try {
		if (CONTROL.test(decodeURIComponent(url.pathname))) return true;
		for (const [k, v] of url.searchParams) if (CONTROL.test(k) || CONTROL.test(v)) return true;
		return false;
	} catch {
		return true;
	}
}
