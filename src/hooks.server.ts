import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { serveAdminChannel } from '$lib/server/admin/channel';
import { config } from '$lib/server/config';
import { cors } from '$lib/server/http/cors';
import { closeDb, getDb } from '$lib/server/db';
import { compress } from '$lib/server/http/compress';
import { guard } from '$lib/server/auth/guard';
import { addHsts } from '$lib/server/http/hsts';
import { storeIsDown, unavailable } from '$lib/server/http/unavailable';
import { badFormBody } from '$lib/server/http/form-body';
import { badAddress, badApiBody } from '$lib/server/http/body-type';
import { refuse } from '$lib/server/http/refuse';
import { langOf } from '$lib/server/http/errors';
import { messageText } from '$lib/i18n/localize';
import {
	BUSY,
	expensiveGate,
	expensiveKind,
	overBudget,
	TOO_MANY,
	withinRate
} from '$lib/server/http/expensive';
import { clientOf } from '$lib/server/auth/guard';
import { applyCsp } from '$lib/server/http/csp';
import { startMailer } from '$lib/server/mail/loop';

// adapter-node emits this once requests have drained after SIGTERM/SIGINT. Closing the store then
// lets PGlite checkpoint (no crash recovery at the next start) and stops its Postgres timers,
// which otherwise keep the process alive after a start that followed a crash.
process.once('sveltekit:shutdown', () => void closeDb());

/**
 * The portal takes its store at start, not at the first request: on PGlite that locks the data
 * directory (db/lock.ts) and opens the channel through which `npm run user|import|…` reach this
 * process (admin/channel.ts). A store that is busy now is retried by every request (503 until then).
 */
export const init: ServerInit = async () => {
	await getDb().then(ownStore, (err) =>
		console.error('[db] niet bereikbaar bij de start:', (err as Error).message)
	);
};

function ownStore(db: Awaited<ReturnType<typeof getDb>>): void {
	if (db.kind === 'pglite') void serveAdminChannel(db, config().dataDir);
}

const LANGS = ['nl', 'en'] as const;
type Lang = (typeof LANGS)[number];

function pickLang(event: Parameters<Handle>[0]['event']): Lang {
	const asked = event.url.searchParams.get('lang');
	if (asked === 'nl' || asked === 'en') {
		event.cookies.set('lang', asked, {
			path: '/',
			maxAge: 60 * 60 * 24 * 365,
			sameSite: 'lax',
			httpOnly: false
		});
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

const main: Handle = async ({ event, resolve }) => {
	const lang = pickLang(event);
	event.locals.lang = lang;
	event.locals.user = null;
	// Refused before any handler runs: control characters in the address (400), a body that is
	// not of a type the route takes (415).
	if (badAddress(event.url)) return refuse(400, 'security.address.control', lang, event.url);
	const badType = await badApiBody(event.request, event.url);
	if (badType) return refuse(415, badType, lang, event.url);
	const refused = await badFormBody(event.request, event.url, lang);
	if (refused) return refused;
	try {
		event.locals.db = await getDb();
		ownStore(event.locals.db);
		// Resident e-mail goes out from the process that serves (started once, with the store).
		startMailer(event.locals.db);
	} catch (err) {
		console.error('[db] niet bereikbaar:', (err as Error).message);
		return unavailable(event.url.pathname);
	}
	// Authorization is decided there and nowhere else; it also fills locals.user.
	const denied = await guard(event);
	if (denied) return denied;
	// Expensive public endpoints: a per-client rate for the anonymous, a bounded number at once for all.
	let release: (() => void) | null = null;
	if (expensiveKind(event.url)) {
		if (!event.locals.user && !withinRate(clientOf(event)))
			return refuse(429, TOO_MANY, lang, event.url, { 'retry-after': '60' });
		release = await expensiveGate.enter();
		if (!release) return refuse(503, BUSY, lang, event.url, { 'retry-after': '30' });
	}
	let response: Response;
	try {
		response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', lang)
		});
	} finally {
		release?.();
	}
	if (response.status === 500 && event.locals.overBudget)
		response = refuse(503, BUSY, lang, event.url, { 'retry-after': '30' });
	else if (response.status === 500 && (await storeIsDown(event.locals.db)))
		response = unavailable(event.url.pathname);
	applyCsp(response, event.url.pathname, config());
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	// What a signed-in member of staff sees must not land in a shared cache.
	if (event.locals.user && !response.headers.has('cache-control'))
		response.headers.set('cache-control', 'private, no-store');
	addHsts(event.url, event.request, response);
	return compress(event.request, response);
};

/**
 * SvelteKit's default (log, a generic text: a 500 says nothing of its cause), in the request's
 * language, and a note for handle when the store's time budget ran out.
 */
export const handleError: HandleServerError = ({ error, event }) => {
	if (overBudget(error)) event.locals.overBudget = true;
	else console.error(error);
	return { message: messageText(langOf(event), 'errors.internal') };
};

// CORS first: a preflight or a cross-origin write is answered before anything else runs. Composed
// by hand, not with sequence(): that needs SvelteKit's request store, which tests that call
// handle directly (through every route, see tests/helpers) do not have.
export const handle: Handle = ({ event, resolve }) =>
	cors({ event, resolve: (e) => main({ event: e, resolve }) });
