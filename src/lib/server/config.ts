import path from 'node:path';

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
	/** Optional MapLibre style URL for a basemap; none means a plain background and no outside request. */
	basemapStyleUrl: string | null;
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
	 * The portal's public origin (ORIGIN, as adapter-node reads it), e.g. https://wijkkaart.gemeente.nl.
	 * Calendar UIDs and feed links are built from it, so they stay the same whichever host:port a
	 * request came in on.
	 */
	publicOrigin: string | null;
	/**
	 * Origins that may read the public data cross-site (WIJKKAART_CORS_ORIGINS): `*` (the
	 * default), a comma-separated list, or `none` (empty list) for no CORS at all.
	 */
	corsOrigins: '*' | string[];
	/** Who to credit for the published data (TileJSON, /ogc): WIJKKAART_ATTRIBUTION. */
	attribution: string;
	/** The licence of the published data, an SPDX id or URL: WIJKKAART_LICENSE. */
	license: string;
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
		if (!parsed || parsed.origin !== origin) throw new Error(`WIJKKAART_CORS_ORIGINS: "${origin}" is geen herkomst zoals https://voorbeeld.nl (schema, host en eventueel poort)`);
		return origin;
	});
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} moet een positief getal zijn (kreeg "${raw.slice(0, 20)}")`);
	return n;
}

function publicOrigin(raw: string | undefined): string | null {
	const v = raw?.trim();
	if (!v) return null;
	let u: URL;
	try {
		u = new URL(v);
	} catch {
		throw new Error(`ORIGIN moet een volledige URL zijn, zoals https://wijkkaart.gemeente.nl (kreeg "${v.slice(0, 40)}")`);
	}
	if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`ORIGIN moet met http:// of https:// beginnen (kreeg "${v.slice(0, 40)}")`);
	return u.origin;
}

export function config(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || null;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new Error(`DATABASE_URL moet met postgres:// beginnen (kreeg "${databaseUrl.slice(0, 20)}…")`);
	}
	const databaseReadUrl = env.DATABASE_READ_URL?.trim() || null;
	if (databaseReadUrl && (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseReadUrl))) {
		throw new Error('DATABASE_READ_URL moet met postgres:// beginnen en werkt alleen naast DATABASE_URL');
	}
	return {
		databaseUrl,
		databaseReadUrl,
		dataDir: path.resolve(env.WIJKKAART_DATA_DIR?.trim() || 'data'),
		tilesDir: path.resolve(env.WIJKKAART_TILES_DIR?.trim() || 'tiles'),
		basemapStyleUrl: env.WIJKKAART_BASEMAP_STYLE?.trim() || null,
		pdokBaseUrl: (
			env.WIJKKAART_PDOK_URL?.trim() || 'https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1'
		).replace(/\/+$/, ''),
		themesFile: env.WIJKKAART_THEMES_FILE?.trim() || null,
		municipalityName: env.WIJKKAART_GEMEENTE?.trim() || null,
		locatieserverUrl: env.WIJKKAART_LOCATIESERVER_URL?.trim().replace(/\/+$/, '') || null,
		sessionIdleMinutes: positiveNumber(env, 'WIJKKAART_SESSION_IDLE_MINUTES', 120),
		sessionMaxHours: positiveNumber(env, 'WIJKKAART_SESSION_MAX_HOURS', 12),
		publicOrigin: publicOrigin(env.ORIGIN),
		corsOrigins: corsOrigins(env.WIJKKAART_CORS_ORIGINS),
		attribution: env.WIJKKAART_ATTRIBUTION?.trim() || `© ${env.WIJKKAART_GEMEENTE?.trim() || 'gemeente'}, Wijkkaart`,
		license: env.WIJKKAART_LICENSE?.trim() || 'CC-BY-4.0'
	};
}
