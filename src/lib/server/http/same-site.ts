/**
 * A redirect target the client chose (redirectTo=…), reduced to a path on this site. Resolved
 * with the WHATWG URL parser browsers use, so what browsers ignore or rewrite (leading spaces
 * and control characters, tabs and newlines inside, backslashes read as slashes) cannot turn
 * "/\t/evil.example" or " //evil.example" into another host. Anything else gives `fallback`.
 */
const BASE = 'http://same-site.invalid';

export function sameSitePath(target: string | null | undefined, fallback: string): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\'))
		return fallback;
	let url: URL;
	try {
		url = new URL(target, BASE);
	} catch {
		return fallback;
	}
	if (url.origin !== BASE) return fallback;
	const path = url.pathname + url.search + url.hash;
	// The path as the browser will send it back; it must still start with exactly one slash.
	return /^\/(?![/\\])/.test(path) ? path : fallback;
}
