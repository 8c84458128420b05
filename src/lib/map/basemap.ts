import type {
	LayerSpecification,
	Map as MlMap,
	SourceSpecification,
	StyleSpecification
} from 'maplibre-gl';
import type { Basemap } from './basemap-config';

/**
 * The basemap under a map that starts on the plain style (area-style.ts): laid under the area
 * layers once one request shows it is reachable. When it is not (an offline demo, CI, a blocked
 * network) or when none is configured, the map keeps its plain background and writes the street
 * names of the address index on it instead; nothing throws and nothing is logged as an error.
 */
const PREFIX = 'basemap-';
const PROBE_TIMEOUT_MS = 8000;
/** An unreachable basemap is asked again after this long, not on every page of a visit. */
const UNREACHABLE_MEMORY_MS = 60_000;

type MapLibre = typeof import('maplibre-gl');

function remembered(key: string): boolean {
	try {
		const at = Number(sessionStorage.getItem(key));
		return at > 0 && Date.now() - at < UNREACHABLE_MEMORY_MS;
	} catch {
		return false;
	}
}
function remember(key: string) {
	try {
		sessionStorage.setItem(key, String(Date.now()));
	} catch {
		/* private mode: ask again next page */
	}
}

/** One request with a time limit; the answer (a style document, or true for a tile) or null. */
const probes = new Map<string, Promise<unknown>>();
function probe(url: string, asJson: boolean): Promise<unknown> {
	const key = `wijkkaart:basemap-unreachable:${url}`;
	if (remembered(key)) return Promise.resolve(null);
	let p = probes.get(url);
	if (!p) {
		p = (async () => {
			const abort = new AbortController();
			const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS);
			try {
				const res = await fetch(url, { signal: abort.signal, credentials: 'omit' });
				if (!res.ok) throw new Error(String(res.status));
				return asJson ? await res.json() : true;
			} catch {
				remember(key);
				return null;
			} finally {
				clearTimeout(timer);
			}
		})();
		probes.set(url, p);
	}
	return p;
}

/** The first layer above the plain background: the basemap goes under it. */
function firstOwnLayer(m: MlMap): string | undefined {
	return m.getStyle().layers.find((l) => l.type !== 'background')?.id;
}

async function addBasemap(m: MlMap, maplibregl: MapLibre, basemap: Basemap): Promise<boolean> {
	if (basemap.kind === 'raster') {
		// The tile at zoom 0 says whether the tile server answers at all.
		if (
			!(await probe(
				basemap.tiles.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0'),
				false
			))
		)
			return false;
		m.addSource(`${PREFIX}raster`, {
			type: 'raster',
			tiles: [basemap.tiles],
			tileSize: 256,
			maxzoom: basemap.maxzoom,
			attribution: basemap.attribution
		});
		m.addLayer(
			{ id: `${PREFIX}raster`, type: 'raster', source: `${PREFIX}raster` },
			firstOwnLayer(m)
		);
	} else if (basemap.kind === 'style') {
		const style = (await probe(basemap.url, true)) as StyleSpecification | null;
		if (!style || typeof style !== 'object' || !Array.isArray(style.layers)) return false;
		const base = new URL(basemap.url);
		// Relative URLs in a style are relative to it; URL() would encode a template's {z} braces.
		const abs = (u: string) =>
			/^[a-z][a-z0-9+.-]*:/i.test(u)
				? u
				: new URL(u, base).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
		if (typeof style.glyphs === 'string') m.setGlyphs(abs(style.glyphs));
		if (typeof style.sprite === 'string') m.setSprite(abs(style.sprite));
		for (const [id, src] of Object.entries(style.sources ?? {})) {
			const s = { ...src } as SourceSpecification & { url?: string; tiles?: string[] };
			if (s.url) s.url = abs(s.url);
			if (s.tiles) s.tiles = s.tiles.map(abs);
			m.addSource(PREFIX + id, s);
		}
		const before = firstOwnLayer(m);
		for (const layer of style.layers) {
			const l = { ...layer, id: PREFIX + layer.id } as LayerSpecification & { source?: string };
			if (typeof l.source === 'string') l.source = PREFIX + l.source;
			m.addLayer(l as LayerSpecification, before);
		}
	} else return false;
	m.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
	return true;
}

/** Street names from the address index as HTML labels (no glyph server needed), decluttered. */
function streetLabels(m: MlMap, maplibregl: MapLibre) {
	let markers: import('maplibre-gl').Marker[] = [];
	let seq = 0;
	const clear = () => {
		for (const mk of markers) mk.remove();
		markers = [];
	};
	const load = async () => {
		const mine = ++seq;
		if (m.getZoom() < 14) return clear();
		const b = m.getBounds();
		const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
			.map((v) => v.toFixed(5))
			.join(',');
		let streets: { street: string; lon: number; lat: number }[] = [];
		try {
			const res = await fetch(`/api/straten?bbox=${bbox}`);
			if (res.ok) streets = (await res.json()).streets ?? [];
		} catch {
			/* the labels are a help, not the content: keep the map without them */
		}
		if (mine !== seq) return;
		clear();
		const placed: DOMRect[] = [];
		for (const s of streets) {
			const el = document.createElement('div');
			el.className = 'street-label';
			el.textContent = s.street;
			el.setAttribute('aria-hidden', 'true');
			Object.assign(el.style, {
				pointerEvents: 'none',
				font: 'italic 500 0.75rem system-ui, sans-serif',
				color: '#4a4f55',
				whiteSpace: 'nowrap',
				textShadow: '0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff'
			});
			const mk = new maplibregl.Marker({ element: el }).setLngLat([s.lon, s.lat]).addTo(m);
			const r = el.getBoundingClientRect();
			if (
				placed.some(
					(p) =>
						r.left < p.right + 6 &&
						r.right + 6 > p.left &&
						r.top < p.bottom + 2 &&
						r.bottom + 2 > p.top
				)
			) {
				mk.remove();
				continue;
			}
			placed.push(r);
			markers.push(mk);
		}
	};
	m.on('moveend', load);
	void load();
}

/**
 * Gives a map on the plain style its basemap, or street names when there is none. Sets
 * data-basemap on the map's container: "shown", or "streets" (none configured or unreachable).
 * Errors of the basemap's own sources (a tile that fails later) are kept out of the console.
 */
export function attachBasemap(m: MlMap, maplibregl: MapLibre, basemap: Basemap): void {
	m.on('error', (e) => {
		const source = (e as { sourceId?: string }).sourceId;
		if (typeof source === 'string' && source.startsWith(PREFIX)) return;
		// What MapLibre would have done without a listener.
		console.error(e.error ?? e);
	});
	const run = async () => {
		let shown = false;
		try {
			shown = await addBasemap(m, maplibregl, basemap);
		} catch {
			shown = false;
		}
		m.getContainer().dataset.basemap = shown ? 'shown' : 'streets';
		if (!shown) streetLabels(m, maplibregl);
	};
	if (m.isStyleLoaded()) void run();
	else m.once('load', () => void run());
}
