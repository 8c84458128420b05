import type { Handle } from '@sveltejs/kit';
import { closeDb, getDb } from '$lib/server/db';
import { compress } from '$lib/server/http/compress';
import { guard } from '$lib/server/auth/guard';
import { addHsts } from '$lib/server/http/hsts';
import { storeIsDown, unavailable } from '$lib/server/http/unavailable';
import { badFormBody } from '$lib/server/http/form-body';
import { startMailer } from '$lib/server/mail/loop';

// adapter-node emits this once requests have drained after SIGTERM/SIGINT. Closing the store then
// lets PGlite checkpoint (no crash recovery at the next start) and stops its Postgres timers,
// which otherwise keep the process alive after a start that followed a crash.
process.once('sveltekit:shutdown', () => void closeDb());

const LANGS = ['nl', 'en'] as const;
type Lang = (typeof LANGS)[number];

function pickLang(event: Parameters<Handle>[0]['event']): Lang {
	const asked = event.url.searchParams.get('lang');
	if (asked === 'nl' || asked === 'en') {
		event.cookies.set('lang', asked, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax', httpOnly: false });
		return asked;
	}
	const cookie = event.cookies.get('lang');
	if (cookie === 'nl' || cookie === 'en') return cookie;
	// Dutch first: English only when the browser prefers it over Dutch.
	const accept = event.request.headers.get('accept-language') ?? '';
	const en = accept.search(/\ben\b/i);
	const nl = accept.search(/\bnl\b/i);
	return en >= 0 && (nl < 0 || en < nl) ? 'en' : 'nl';
}

export const handle: Handle = async ({ event, resolve }) => {
	const lang = pickLang(event);
	event.locals.lang = lang;
	event.locals.user = null;
	const refused = await badFormBody(event.request, event.url);
	if (refused) return refused;
	try {
		event.locals.db = await getDb();
		// Resident e-mail goes out from the process that serves (started once, with the store).
		startMailer(event.locals.db);
	} catch (err) {
		console.error('[db] niet bereikbaar:', (err as Error).message);
		return unavailable(event.url.pathname);
	}
	// Authorization is decided there and nowhere else; it also fills locals.user.
	const denied = await guard(event);
	if (denied) return denied;
	let response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', lang)
	});
	if (response.status === 500 && (await storeIsDown(event.locals.db))) response = unavailable(event.url.pathname);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	// What a signed-in member of staff sees must not land in a shared cache.
	if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('cache-control', 'private, no-store');
	addHsts(event.url, event.request, response);
	return compress(event.request, response);
};
