import { messageText, type Lang } from '../../i18n/localize.ts';
import { importMaxBytes, uploadTooLargeMessage } from '../import/upload-limit.ts';
/**
 * Form actions read `request.formData()`. SvelteKit refuses most other bodies itself (415), but
 * lets text/plain through (a "simple" type a cross-site form may send) and does not check that
 * a multipart body parses: formData() then throws inside the action and the user gets a 500.
 * Refused here, before any action runs, in the visitor's language. A multipart body is parsed once
 * from a copy to find out (a 10 MB photo costs a second parse); urlencoded cannot fail to parse.
 * /api and /open311 endpoints read their bodies themselves and answer for themselves.
 */
export async function badFormBody(
	request: Request,
	url: URL,
	lang: Lang = 'nl'
): Promise<Response | null> {
	if (request.method !== 'POST' || url.pathname === '/api' || url.pathname.startsWith('/api/'))
		return null;
	// Open311 answers a wrong body in its own error format (src/lib/server/open311/post.ts).
	if (url.pathname.startsWith('/open311/')) return null;
	// An area file upload has its own limit, checked from the header before a byte is read.
	if (
		url.pathname === '/beheer/import' &&
		Number(request.headers.get('content-length') ?? 0) > importMaxBytes() + 64 * 1024
	) {
		const m = uploadTooLargeMessage();
		return text(413, messageText(lang, m.code, m.params));
	}
	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	if (type.startsWith('application/x-www-form-urlencoded')) return null;
	if (!type.startsWith('multipart/form-data') || !/;\s*boundary=/.test(type))
		return text(415, messageText(lang, 'errors.form.notAForm'));
	try {
		await request.clone().formData();
		return null;
	} catch (err) {
		if (tooLarge(err)) return text(413, messageText(lang, 'errors.form.tooLarge'));
		return text(400, messageText(lang, 'errors.form.broken'));
	}
}

function text(status: number, message: string): Response {
	return new Response(message, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});
}

/** The adapter's body size limit (BODY_SIZE_LIMIT) shows up as an error with status 413 while a body is read. */
export function tooLarge(err: unknown): boolean {
	return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 413;
}
