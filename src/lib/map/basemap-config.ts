/**
 * What lies under every map, as configured by WIJKKAART_BASEMAP_STYLE. Pure: the server reads
 * it from the environment at run time (config.ts, the CSP) and hands it to the pages; the maps
 * draw it (basemap.ts).
 */
export type Basemap =
	| { kind: 'none' }
	/** XYZ raster tiles, e.g. PDOK's BRT Achtergrondkaart (WMTS in EPSG:3857). */
	| { kind: 'raster'; tiles: string; attribution: string; maxzoom: number }
	/** A MapLibre style document; its own sources carry their attribution. */
	| { kind: 'style'; url: string };

/** PDOK asks for this attribution with the BRT Achtergrondkaart (CC BY 4.0, Kadaster). */
export const PDOK_ATTRIBUTION =
	'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT Achtergrondkaart, PDOK)';

const PDOK_VARIANTS = ['standaard', 'grijs', 'pastel', 'water'] as const;

function pdok(variant: (typeof PDOK_VARIANTS)[number]): Basemap {
	return {
		kind: 'raster',
		tiles: `https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/${variant}/EPSG:3857/{z}/{x}/{y}.png`,
		attribution: PDOK_ATTRIBUTION,
		maxzoom: 19
	};
}

/**
 * "" (unset) or "pdok" → PDOK BRT Achtergrondkaart (standaard); "pdok-grijs", "pdok-pastel",
 * "pdok-water" → that variant; "none" → a plain background; an http(s) URL → a MapLibre style.
 */
export function parseBasemap(raw: string | undefined): Basemap {
	const value = raw?.trim() ?? '';
	if (value === '' || value === 'pdok') return pdok('standaard');
	if (value === 'none') return { kind: 'none' };
	const variant = /^pdok-(\w+)$/.exec(value)?.[1];
	if (variant && (PDOK_VARIANTS as readonly string[]).includes(variant))
		return pdok(variant as (typeof PDOK_VARIANTS)[number]);
	let url: URL | null = null;
	try {
		url = new URL(value);
	} catch {
		/* reported below */
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		throw new Error(
			`WIJKKAART_BASEMAP_STYLE moet "none", "pdok", ${PDOK_VARIANTS.map((v) => `"pdok-${v}"`).join(', ')} of een http(s)-adres van een MapLibre-stijl zijn (kreeg "${value.slice(0, 40)}")`
		);
	}
	return { kind: 'style', url: url.href };
}

/** The outside origins this basemap is fetched from (for the Content-Security-Policy). */
export function basemapOrigins(b: Basemap): string[] {
	if (b.kind === 'none') return [];
	return [new URL(b.kind === 'raster' ? b.tiles.replace(/[{}]/g, '') : b.url).origin];
}
