import { config } from '../config.ts';
/**
 * Strict-Transport-Security only when the browser reached us over https: directly, or through a
 * proxy that says so. The proxy header is trusted only when ORIGIN itself is https, so a plain-http
 * deployment can never be told by a client to pin https (which would lock its users out).
 */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

export function servedOverHttps(
	url: URL,
	headers: Headers,
	origin: string | null | undefined = config().origin
): boolean {
	if (url.protocol === 'https:') return true;
	const forwarded = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
	return forwarded === 'https' && Boolean(origin?.trim().toLowerCase().startsWith('https://'));
}

export function addHsts(url: URL, request: Request, response: Response, origin?: string): void {
	if (servedOverHttps(url, request.headers, origin ?? config().origin)) {
		response.headers.set('strict-transport-security', HSTS_VALUE);
	}
}
