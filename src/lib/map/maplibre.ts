import type { Map as MlMap, MapOptions } from 'maplibre-gl';
import { attachBasemap } from './basemap';
import type { Basemap } from './basemap-config';

/**
 * Starting a MapLibre map, the same way on every page: MapLibre loaded on demand (it is large and
 * needs a browser), its worker found, the `pmtiles://` protocol for the area tiles, the controls
 * in the page's language, the basemap (or street names) under the map, and a note instead of a
 * map where it cannot be made (no WebGL). The map's own layers and handlers are the caller's.
 */
export type MapLibre = typeof import('maplibre-gl');

let loading: Promise<MapLibre> | null = null;

/** MapLibre with its worker URL and the pmtiles protocol, set up once per page. */
export function loadMapLibre(): Promise<MapLibre> {
	loading ??= (async () => {
		const [maplibregl, { Protocol }, { default: workerUrl }] = await Promise.all([
			import('maplibre-gl'),
			import('pmtiles'),
			// MapLibre 6 looks for its worker beside its own file, which bundling moves.
			import('maplibre-gl/dist/maplibre-gl-worker.mjs?url')
		]);
		maplibregl.setWorkerUrl(workerUrl);
		maplibregl.addProtocol('pmtiles', new Protocol().tile);
		return maplibregl;
	})().catch((err) => {
		// A chunk that failed to load (a dropped connection) is asked again by the next map.
		loading = null;
		throw err;
	});
	return loading;
}

/** The area tiles every map on the plain style reads. */
export function areaTilesUrl(): string {
	return `pmtiles://${location.origin}/tiles/areas.pmtiles`;
}

/** The labels MapLibre shows or reads aloud, in the page's language; `title` names the canvas. */
export function mapLocale(
	t: (key: string) => string,
	title = t('map.canvas')
): Record<string, string> {
	return {
		'Map.Title': title,
		'NavigationControl.ZoomIn': t('map.zoomIn'),
		'NavigationControl.ZoomOut': t('map.zoomOut'),
		'NavigationControl.ResetBearing': t('map.resetBearing'),
		'Popup.Close': t('map.popupClose')
	};
}

export interface MapStart {
	container: HTMLElement;
	options: Omit<MapOptions, 'container' | 'attributionControl' | 'locale'>;
	locale: Record<string, string>;
	basemap: Basemap;
	/** Called with the new map; may return what to undo before the map is removed. */
	ready: (map: MlMap, maplibregl: MapLibre) => void | (() => void);
	/** The map could not be made (no WebGL, MapLibre did not load): the page says so instead. */
	failed: () => void;
}

/**
 * Starts a map; returns what removes it again (a component's onMount cleanup), which also holds
 * off a map whose MapLibre is still loading when the component goes.
 */
export function startMap(s: MapStart): () => void {
	let map: MlMap | undefined;
	let undo: void | (() => void);
	let disposed = false;
	(async () => {
		let maplibregl: MapLibre;
		try {
			maplibregl = await loadMapLibre();
		} catch {
			if (!disposed) s.failed();
			return;
		}
		if (disposed) return;
		try {
			map = new maplibregl.Map({
				...s.options,
				container: s.container,
				attributionControl: false,
				locale: s.locale
			});
		} catch {
			s.failed();
			return;
		}
		map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
		attachBasemap(map, maplibregl, s.basemap);
		undo = s.ready(map, maplibregl);
	})();
	return () => {
		disposed = true;
		undo?.();
		map?.remove();
	};
}
