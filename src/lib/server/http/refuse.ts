import nl from '../../i18n/security.nl.json' with { type: 'json' };
import en from '../../i18n/security.en.json' with { type: 'json' };

export type SecurityText = keyof typeof nl;

/** A refusal the hooks give before any handler runs, in the request's language (Dutch first). */
export function refuse(
	status: number,
	key: SecurityText,
	lang: 'nl' | 'en',
	url: URL,
	headers: Record<string, string> = {}
): Response {
	const message = (lang === 'en' ? en : nl)[key];
	const api =
		url.pathname === '/api' ||
		url.pathname.startsWith('/api/') ||
		url.pathname.startsWith('/feeds/') ||
		url.pathname === '/healthz';
	return new Response(api ? JSON.stringify({ error: message, code: key }) : message, {
		status,
		headers: {
			'content-type': api ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
			'cache-control': 'no-store',
			...headers
		}
	});
}
