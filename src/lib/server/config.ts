import path from 'node:path';
import { parseBasemap, type Basemap } from '../map/basemap-config.ts';

/**
 * Every setting Wijkkaart reads from the environment, in one place so the README's
 * configuration table can be checked against it.
 * Read lazily: scripts and tests set variables before the first call.
 */
export interface Config {
	/** postgres://… switches the store from embedded PGlite to a PostgreSQL/PostGIS server. */
	databaseUrl: string | null;
	/**
	 * Optional postgres://… of a read replica: the public item list and item tiles read there,
	 * everything else (writes, a resident's own tracking page, staff pages) on DATABASE_URL.
	 */
	databaseReadUrl: string | null;
	/** Where PGlite keeps its files. */
	dataDir: string;
	/** Where the area PMTiles archive lives. */
	tilesDir: string;
	/** The basemap under every map (WIJKKAART_BASEMAP_STYLE): PDOK's BRT Achtergrondkaart by default. */
	basemap: Basemap;
	/** Outside origins the basemap reaches besides its style URL (WIJKKAART_BASEMAP_ORIGINS): tiles, glyphs, sprites. */
	basemapOrigins: string[];
	/** The address people use to reach the portal (ORIGIN), e.g. https://wijkkaart.gemeente.nl; null = as asked. */
	origin: string | null;
	/** Sites that may show /embed in a frame (WIJKKAART_EMBED_ORIGINS, "*" = any); the portal itself only by default. */
	embedOrigins: string[];
	/** Base URL of PDOK's OGC API Features for the CBS wijk- en buurtkaart; {jaar} is filled in. */
	pdokBaseUrl: string;
	/** A JSON file with the municipality's own theme taxonomy (read by items/taxonomy.ts). */
	themesFile: string | null;
	/** Name shown when the store holds no gemeente-level name. */
	municipalityName: string | null;
	/** PDOK Locatieserver (…/search/v3_1) for the search box besides the local index; none = no outside request. */
	locatieserverUrl: string | null;
	/** A staff session ends after this many minutes without a request (WIJKKAART_SESSION_IDLE_MINUTES). */
	sessionIdleMinutes: number;
	/** …and at the latest this many hours after sign-in (WIJKKAART_SESSION_MAX_HOURS). */
	sessionMaxHours: number;
	/**
	 * Origins that may read the public data cross-site (WIJKKAART_CORS_ORIGINS): `*` (the
	 * default), a comma-separated list, or `none` (empty list) for no CORS at all.
	 */
	corsOrigins: '*' | string[];
	/** Who to credit for the published data (TileJSON, /ogc): WIJKKAART_ATTRIBUTION. */
	attribution: string;
	/** The licence of the published data, an SPDX id or URL: WIJKKAART_LICENSE. */
	license: string;
	/** smtp(s)://user:pass@host:port for resident e-mail (WIJKKAART_SMTP_URL); null: the outbox is kept, nothing is sent. */
	smtpUrl: string | null;
	/** From address of resident e-mail (WIJKKAART_MAIL_FROM). */
	mailFrom: string;
	/** Origin for links in e-mail when no request gave one (WIJKKAART_PUBLIC_URL, else ORIGIN). */
	publicUrl: string | null;
	/** A reporter's e-mail address is deleted this many days after the melding closed (WIJKKAART_CONTACT_RETENTION_DAYS). */
	contactRetentionDays: number;
	/** How often the sender looks at the outbox, in seconds (WIJKKAART_MAIL_INTERVAL_SECONDS). */
	mailIntervalSeconds: number;
	/** E-mail subscriptions get an overview of new items at most once per this many hours (WIJKKAART_MAIL_DIGEST_HOURS). */
	mailDigestHours: number;
	/** Connections to PostgreSQL at most (WIJKKAART_DB_POOL). */
	dbPoolSize: number;
	/** PostgreSQL stops any one statement after this many ms (WIJKKAART_STATEMENT_TIMEOUT_MS); null: no limit (the CLI). */
	statementTimeoutMs: number | null;
	/** PGlite in a worker thread with the statement budget (WIJKKAART_PGLITE_WORKER=1, the server's default; db/pglite-worker.ts). */
	pgliteWorker: boolean;
	/** Where the SQL migrations are, when not in the source tree (WIJKKAART_MIGRATIONS_DIR). */
	migrationsDir: string | null;
	/** The port the server listens on (PORT), for links when neither ORIGIN nor a request gives one. */
	port: number;
	/** Largest area file the staff page accepts, in bytes (WIJKKAART_IMPORT_MAX_MB, default 10). */
	areaUploadMaxBytes: number;
	/** Largest item import file, in bytes (WIJKKAART_MAX_IMPORT_MB, default 100): parsed in memory. */
	itemImportMaxBytes: number;
	/** Per client and minute/hour: submissions (WIJKKAART_RATE_SUBMIT), searches (…_SEARCH), expensive requests (…_EXPENSIVE). */
	rate: { submit: number; search: number; expensive: number };
	/** Expensive requests at once (WIJKKAART_EXPENSIVE_CONCURRENCY): 1 on PGlite, 4 on PostgreSQL by default. */
	expensiveConcurrency: number;
	/** The chromium the bench drives (CHROMIUM_PATH). */
	chromiumPath: string;
	/** Where `fixtures:utrecht` reads the Utrecht open data (WIJKKAART_SHARED_DATA); null: next to the repository. */
	sharedDataDir: string | null;
	/** The password `user add/reset` sets instead of a random one (WIJKKAART_PASSWORD); for scripts. */
	cliPassword: string | null;
	/** CLI errors also print their stack (WIJKKAART_DEBUG). */
	debug: boolean;
}

function corsOrigins(raw: string | undefined): '*' | string[] {
	const value = raw?.trim();
	if (!value || value === '*') return '*';
	if (value.toLowerCase() === 'none') return [];
	return value.split(',').map((o) => {
		const origin = o.trim().replace(/\/+$/, '');
		let parsed: URL | null = null;
		try {
			parsed = new URL(origin);
		} catch {
			/* reported below */
		}
		if (!parsed || parsed.origin !== origin)
			throw new Error(
				`WIJKKAART_CORS_ORIGINS: "${origin}" is geen herkomst zoals https://voorbeeld.nl (schema, host en eventueel poort)`
			);
		return origin;
	});
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0)
		throw new Error(`${name} moet een positief getal zijn (kreeg "${raw.slice(0, 20)}")`);
	return n;
}

/** A whole positive number, else the default: limits that were never strict about their input. */
function lenientInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const n = Number(env[name]);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

function megabytes(raw: string | undefined, fallback: number): number {
	const mb = Number(raw?.trim() || fallback);
	return (Number.isFinite(mb) && mb > 0 ? mb : fallback) * 1024 * 1024;
}

/** "https://a.nl/x/" → "https://a.nl"; a clear error for anything that is no http(s) origin. */
function originOf(raw: string, name: string): string {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new Error(
			`${name} moet een adres als https://kaart.gemeente.nl zijn (kreeg "${raw.trim().slice(0, 40)}")`
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		throw new Error(
			`${name} moet met http:// of https:// beginnen (kreeg "${raw.trim().slice(0, 40)}")`
		);
	return url.origin;
}

/** A comma- or space-separated list of origins; "*" (any site) only where allowed. */
function originList(env: NodeJS.ProcessEnv, name: string, star = false): string[] {
	return (env[name] ?? '')
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((o) => (star && o === '*' ? o : originOf(o, name)));
}

/**
 * The origin links that leave the page carry (QR codes, feeds, e-mails, tracking links): the
 * configured ORIGIN, else the one the request came in on. One home, so a link never says
 * https://localhost while the portal runs on http.
 */
export function publicOrigin(requestUrl: URL, env: NodeJS.ProcessEnv = process.env): string {
	return env.ORIGIN?.trim() ? originOf(env.ORIGIN, 'ORIGIN') : requestUrl.origin;
}

function smtpUrl(env: NodeJS.ProcessEnv): string | null {
	const raw = env.WIJKKAART_SMTP_URL?.trim() || null;
	if (raw && !/^smtps?:\/\//.test(raw))
		throw new Error('WIJKKAART_SMTP_URL moet met smtp:// of smtps:// beginnen');
	return raw;
}

export function config(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || null;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new Error(
			`DATABASE_URL moet met postgres:// beginnen (kreeg "${databaseUrl.slice(0, 20)}…")`
		);
	}
	const databaseReadUrl = env.DATABASE_READ_URL?.trim() || null;
	if (databaseReadUrl && (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseReadUrl))) {
		throw new Error(
			'DATABASE_READ_URL moet met postgres:// beginnen en werkt alleen naast DATABASE_URL'
		);
	}
	return {
		databaseUrl,
		databaseReadUrl,
		dataDir: path.resolve(env.WIJKKAART_DATA_DIR?.trim() || 'data'),
		tilesDir: path.resolve(env.WIJKKAART_TILES_DIR?.trim() || 'tiles'),
		basemap: parseBasemap(env.WIJKKAART_BASEMAP_STYLE),
		basemapOrigins: originList(env, 'WIJKKAART_BASEMAP_ORIGINS'),
		origin: env.ORIGIN?.trim() ? originOf(env.ORIGIN, 'ORIGIN') : null,
		embedOrigins: originList(env, 'WIJKKAART_EMBED_ORIGINS', true),
		pdokBaseUrl: (
			env.WIJKKAART_PDOK_URL?.trim() || 'https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1'
		).replace(/\/+$/, ''),
		themesFile: env.WIJKKAART_THEMES_FILE?.trim() || null,
		municipalityName: env.WIJKKAART_GEMEENTE?.trim() || null,
		locatieserverUrl: env.WIJKKAART_LOCATIESERVER_URL?.trim().replace(/\/+$/, '') || null,
		sessionIdleMinutes: positiveNumber(env, 'WIJKKAART_SESSION_IDLE_MINUTES', 120),
		sessionMaxHours: positiveNumber(env, 'WIJKKAART_SESSION_MAX_HOURS', 12),
		corsOrigins: corsOrigins(env.WIJKKAART_CORS_ORIGINS),
		attribution:
			env.WIJKKAART_ATTRIBUTION?.trim() ||
			`© ${env.WIJKKAART_GEMEENTE?.trim() || 'gemeente'}, Wijkkaart`,
		license: env.WIJKKAART_LICENSE?.trim() || 'CC-BY-4.0',
		smtpUrl: smtpUrl(env),
		mailFrom: env.WIJKKAART_MAIL_FROM?.trim() || 'Wijkkaart <noreply@wijkkaart.invalid>',
		publicUrl: env.WIJKKAART_PUBLIC_URL?.trim()
			? originOf(env.WIJKKAART_PUBLIC_URL, 'WIJKKAART_PUBLIC_URL')
			: env.ORIGIN?.trim()
				? originOf(env.ORIGIN, 'ORIGIN')
				: null,
		contactRetentionDays: positiveNumber(env, 'WIJKKAART_CONTACT_RETENTION_DAYS', 90),
		mailIntervalSeconds: positiveNumber(env, 'WIJKKAART_MAIL_INTERVAL_SECONDS', 30),
		mailDigestHours: positiveNumber(env, 'WIJKKAART_MAIL_DIGEST_HOURS', 24),
		dbPoolSize: Number(env.WIJKKAART_DB_POOL ?? 10),
		statementTimeoutMs:
			Number(env.WIJKKAART_STATEMENT_TIMEOUT_MS) > 0
				? Number(env.WIJKKAART_STATEMENT_TIMEOUT_MS)
				: null,
		pgliteWorker: env.WIJKKAART_PGLITE_WORKER?.trim() === '1',
		migrationsDir: env.WIJKKAART_MIGRATIONS_DIR ? path.resolve(env.WIJKKAART_MIGRATIONS_DIR) : null,
		port: Number(env.PORT) > 0 ? Number(env.PORT) : 3000,
		areaUploadMaxBytes: megabytes(env.WIJKKAART_IMPORT_MAX_MB, 10),
		itemImportMaxBytes: megabytes(env.WIJKKAART_MAX_IMPORT_MB, 100),
		rate: {
			submit: lenientInt(env, 'WIJKKAART_RATE_SUBMIT', 10),
			search: lenientInt(env, 'WIJKKAART_RATE_SEARCH', 60),
			expensive: lenientInt(env, 'WIJKKAART_RATE_EXPENSIVE', 30)
		},
		expensiveConcurrency: lenientInt(env, 'WIJKKAART_EXPENSIVE_CONCURRENCY', databaseUrl ? 4 : 1),
		chromiumPath: env.CHROMIUM_PATH || '/usr/bin/chromium',
		sharedDataDir: env.WIJKKAART_SHARED_DATA?.trim()
			? path.resolve(env.WIJKKAART_SHARED_DATA.trim())
			: null,
		cliPassword: env.WIJKKAART_PASSWORD || null,
		debug: Boolean(env.WIJKKAART_DEBUG)
	};
}
