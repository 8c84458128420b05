import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeoJSONSource, Map as MlMap, MapGeoJSONFeature, VectorTileSource } from 'maplibre-gl';
import { MAX_LIMIT } from '../domain/filters.ts';
import type { Layer } from '../domain/layers.ts';
import { DETAIL_ZOOM } from '../geo/tiles.ts';
import {
	CELLS_STATE,
	drawCluster,
	drawIcon,
	itemLayers,
	itemTileLayers,
	LAYER_SHAPE,
	MIX_LAYER,
	shownTileLayers,
	statusColor,
	THEMES_STATE,
	tileCellsMode,
	tileThemeStyle
} from './item-style.ts';

/**
 * The items on a map, as a state machine apart from the component that shows the map: which
 * store query and themes are asked, whether the view is drawn from GeoJSON (everything in view
 * fits one request) or from item tiles (it does not), which answer is current (a slower, older
 * one never overwrites a newer one), and the item in focus. Only a few of MapLibre's methods
 * are used, so tests can give it a fake map that records them.
 */
export type Item = Feature<Geometry, Record<string, unknown>>;

/** What the item layers hold, for the container's data attributes (tests and tools read them). */
export interface ItemLayerState {
	url: string;
	count: number;
	mode: 'geojson' | 'tiles';
	/** The tile layers now shown (the others are laid out but transparent). */
	layers: string[];
}

export interface ItemLayerOptions {
	/** Filters for /api/items without bbox and without themes: what the store answers. */
	query: string;
	/** Themes chosen; applied on the client to what the map holds, so choosing one asks nothing. */
	themes: string[];
	/** The taxonomy's themes: each gets tile layers of its own. */
	themeIds: readonly string[];
	/** The server's word that the first view holds more than one request returns: tiles at once. */
	initialDense: boolean;
	/** Origin of the tile URLs (the page's). */
	origin: string;
	fetch?: typeof fetch;
	/**
	 * What the map shows after each move or filter change; `complete` when nothing was left out.
	 * A dense view lists the items nearest the middle of the view, with the store's count of
	 * everything in view (`summary`, the same store and filters the drawn cells come from).
	 */
	onItems?: (features: Item[], complete: boolean, summary?: ViewSummary) => void;
	onState?: (state: ItemLayerState) => void;
	/** An item clicked: show its popup. */
	onPick?: (lngLat: { lng: number; lat: number }, properties: Record<string, unknown>) => void;
}

/** How many items a dense view holds: in all, per layer and per theme. */
export interface ViewSummary {
	total: number;
	layers: Record<string, number>;
	themes: Record<string, number>;
}

/** How many items a dense view lists: what the list beside the map shows. */
export const VIEW_LIST_LIMIT = 300;

type Body = { features: Item[]; next: string | null };
type Counted = Body & {
	numberMatched: number;
	numberMatchedBy: { layer: Record<string, number>; theme: Record<string, number> };
};
type Handler = (e: never) => void;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class ItemLayer {
	readonly #m: MlMap;
	readonly #o: ItemLayerOptions;
	readonly #fetch: typeof fetch;
	readonly #tileLayers;
	#query: string;
	#themes: string[];
	#focus: Item | null = null;
	/** The store's answer for the view without themes; every theme choice is drawn from it. */
	#held: { url: string; bbox: string; body: Body } | null = null;
	#requested = '';
	#seq = 0;
	#listSeq = 0;
	#listAbort: AbortController | null = null;
	#tilesShown = '';
	#shown = new Set<string>();
	/** What each GeoJSON item source was last given, by feature identity. */
	readonly #sourceData = new Map<string, readonly Feature[]>();
	readonly #handlers: [string, string | string[] | null, Handler][] = [];
	#destroyed = false;
	#state: ItemLayerState = { url: '', count: 0, mode: 'geojson', layers: [] };

	constructor(map: MlMap, options: ItemLayerOptions) {
		this.#m = map;
		this.#o = options;
		this.#fetch = options.fetch ?? ((...args) => fetch(...args));
		this.#query = options.query;
		this.#themes = [...options.themes];
		this.#tileLayers = itemTileLayers(options.themeIds);
		// The first request goes out with the style; 'load' asks again for the same view, which
		// costs nothing (#load skips a URL already asked for).
		void this.#load();
		const start = () => {
			this.#add();
			void this.#load();
		};
		if (map.isStyleLoaded()) start();
		else map.once('load', start);
		// Symbols are drawn on demand: no sprite server, nothing leaves the machine.
		map.setMissingStyleImageResolver((id) => {
			if (map.hasImage(id)) return;
			if (id.startsWith('cluster-')) map.addImage(id, drawCluster(id.slice(8)), { pixelRatio: 1 });
			const mm = /^item-([a-z]+)-(.+)$/.exec(id);
			if (mm && mm[1] in LAYER_SHAPE)
				map.addImage(id, drawIcon(LAYER_SHAPE[mm[1] as Layer], statusColor(mm[2])), {
					pixelRatio: 1
				});
		});
		this.#on('moveend', null, () => void this.#load());
		this.#interaction();
	}

	/** New store filters (without themes): the view is asked again. */
	setQuery(query: string): void {
		if (query === this.#query) return;
		this.#query = query;
		void this.#load();
	}

	/** New themes: drawn from what the map holds, without asking the store for the map. */
	setThemes(themes: readonly string[]): void {
		if (themes.join(',') === this.#themes.join(',')) return;
		this.#themes = [...themes];
		this.#draw();
	}

	/** Points out one item (e.g. the list entry in focus), or none. */
	focus(item: Item | null): void {
		this.#focus = item;
		this.#setFeatures('items-focus', item ? [item] : []);
	}

	/** Stops answering: requests under way are dropped, handlers removed. */
	destroy(): void {
		this.#destroyed = true;
		this.#seq++;
		this.#listSeq++;
		this.#listAbort?.abort();
		for (const [type, layer, fn] of this.#handlers) {
			if (layer === null) this.#m.off(type as never, fn as never);
			else this.#m.off(type as never, layer as never, fn as never);
		}
	}

	#on(type: string, layer: string | string[] | null, fn: Handler) {
		this.#handlers.push([type, layer, fn]);
		if (layer === null) this.#m.on(type as never, fn as never);
		else this.#m.on(type as never, layer as never, fn as never);
	}

	#publish(change: Partial<ItemLayerState>) {
		this.#state = { ...this.#state, ...change };
		this.#o.onState?.(this.#state);
	}

	#tileUrl() {
		return `${this.#o.origin}/tiles/items/{z}/{x}/{y}.mvt${this.#query ? `?${this.#query}` : ''}`;
	}

	#add() {
		const m = this.#m;
		m.addSource('items-points', {
			type: 'geojson',
			data: EMPTY,
			cluster: true,
			clusterMaxZoom: 15,
			clusterRadius: 40
		});
		m.addSource('items-shapes', { type: 'geojson', data: EMPTY });
		m.addSource('items-focus', { type: 'geojson', data: EMPTY });
		m.addSource('items-tiles', {
			type: 'vector',
			tiles: [this.#tileUrl()],
			minzoom: 0,
			maxzoom: DETAIL_ZOOM
		});
		// The layers read it; set before they exist.
		m.setGlobalStateProperty(CELLS_STATE, 'all');
		m.setGlobalStateProperty(THEMES_STATE, []);
		// Tile layers go under the focus outline, like the GeoJSON points.
		const base = itemLayers();
		const focusAt = base.findIndex((l) => l.id.startsWith('items-focus'));
		for (const layer of [...base.slice(0, focusAt), ...this.#tileLayers, ...base.slice(focusAt)])
			m.addLayer(layer);
		this.#setFeatures('items-focus', this.#focus ? [this.#focus] : []);
		this.#draw();
		// The tiles load alongside the first items request, which then only confirms them.
		if (!this.#held && this.#o.initialDense) this.#showTiles(true);
	}

	/**
	 * Gives a GeoJSON source its features unless it holds these already: every setData makes the
	 * worker cut the source's tiles again and the map draw once more when they come back, which a
	 * theme change in a dense view (points empty before and after) would pay for nothing.
	 */
	#setFeatures(id: string, features: readonly Feature[]) {
		const src = this.#m.getSource(id) as GeoJSONSource | undefined;
		const had = this.#sourceData.get(id);
		if (!src || (had && had.length === features.length && had.every((f, i) => f === features[i])))
			return;
		this.#sourceData.set(id, features);
		src.setData({ type: 'FeatureCollection', features: [...features] });
	}

	/** Tiles when the view holds more than one request returns; every item as GeoJSON otherwise. */
	#showTiles(on: boolean) {
		const m = this.#m;
		const themes = this.#themes;
		for (const { id } of this.#tileLayers)
			m.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
		for (const id of ['items-clusters', 'items-points'])
			m.setLayoutProperty(id, 'visibility', on ? 'none' : 'visible');
		if (on) {
			const mode = tileCellsMode(themes, this.#o.themeIds);
			if (mode === 'mix') {
				const style = tileThemeStyle(themes);
				m.setFilter(MIX_LAYER, style.cellFilter as never);
				m.setLayoutProperty(MIX_LAYER, 'icon-image', style.cellIcon as never);
			}
			// Paint only: the tiles at hand stay laid out, the next frame shows the choice.
			m.setGlobalStateProperty(CELLS_STATE, mode);
			m.setGlobalStateProperty(THEMES_STATE, themes);
			// Same store query, same tiles: a theme change is drawn from the tiles at hand.
			const url = this.#tileUrl();
			if (this.#tilesShown !== url)
				(m.getSource('items-tiles') as VectorTileSource).setTiles([(this.#tilesShown = url)]);
		}
		this.#shown = new Set(on ? shownTileLayers(themes, this.#o.themeIds) : []);
		this.#publish({ mode: on ? 'tiles' : 'geojson', layers: [...this.#shown] });
		return on;
	}

	async #load() {
		if (this.#destroyed) return;
		const b = this.#m.getBounds();
		const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
			.map((v) => v.toFixed(5))
			.join(',');
		const query = this.#query;
		const url = `/api/items?${query ? query + '&' : ''}bbox=${bbox}&limit=${MAX_LIMIT}`;
		// The map's first load and its first moveend ask for the same view.
		if (url === this.#requested) return;
		this.#requested = url;
		const mine = ++this.#seq;
		const res = await this.#fetch(url);
		if (mine !== this.#seq) return;
		if (!res.ok) {
			this.#requested = '';
			return;
		}
		const body = (await res.json()) as Body;
		if (mine !== this.#seq) return;
		this.#held = { url, bbox, body };
		// Before the map has its item sources, adding them draws what is held; MapLibre fires
		// 'load' on a frame, and with nothing else to draw that frame may not come by itself.
		this.#draw();
		if (!this.#m.getSource('items-points')) this.#m.triggerRepaint();
	}

	#draw() {
		const m = this.#m;
		// A store query under way brings its own drawing; until then the held answer is stale.
		if (!this.#held || this.#held.url !== this.#requested || !m.getSource('items-points')) return;
		const { bbox, body } = this.#held;
		const themes = this.#themes;
		const features = themes.length
			? body.features.filter((f) => themes.includes(String(f.properties.theme)))
			: body.features;
		const points = features.filter((f) => f.geometry.type === 'Point');
		const shapes = features.filter((f) => f.geometry.type !== 'Point');
		const dense = this.#showTiles(body.next !== null);
		this.#setFeatures('items-points', dense ? [] : points);
		this.#setFeatures('items-shapes', shapes);
		this.#setFeatures('items-focus', this.#focus ? [this.#focus] : []);
		const itemQuery = [this.#query, ...themes.map((t) => `theme=${encodeURIComponent(t)}`)]
			.filter(Boolean)
			.join('&');
		const url = `/api/items?${itemQuery ? itemQuery + '&' : ''}bbox=${bbox}&limit=${MAX_LIMIT}`;
		this.#publish({ url, count: dense ? shapes.length : features.length });
		const list = ++this.#listSeq;
		this.#listAbort?.abort();
		this.#listAbort = null;
		// All of a sparse view is at hand, filtered here exactly as the store would.
		if (!dense) return this.#o.onItems?.(features, true);
		// A dense view holds a page of items, the newest: the list and the counts are asked of the
		// store for the whole view once the map has drawn, so they never hold the map up.
		const [w, s, e, n] = bbox.split(',').map(Number);
		// Half of a five-decimal sum is exact in six.
		const centre = [(w + e) / 2, (s + n) / 2].map((v) => v.toFixed(6)).join(',');
		const listUrl = `/api/items?${itemQuery ? itemQuery + '&' : ''}bbox=${bbox}&near=${centre}&limit=${VIEW_LIST_LIMIT}&count=true`;
		const abort = (this.#listAbort = new AbortController());
		const follow = async () => {
			if (list !== this.#listSeq) return;
			try {
				const res = await this.#fetch(listUrl, { signal: abort.signal });
				if (list !== this.#listSeq || !res.ok) return;
				const page = (await res.json()) as Counted;
				if (list !== this.#listSeq) return;
				const by = page.numberMatchedBy;
				this.#o.onItems?.(page.features, page.numberMatched === page.features.length, {
					total: page.numberMatched,
					layers: by.layer,
					themes: by.theme
				});
			} catch (err) {
				if (!abort.signal.aborted) throw err;
			}
		};
		// A map that nothing here changed (a move that brought the same tiles) draws no frame
		// and so fires no 'idle': it has drawn already.
		if (m.loaded() && m.areTilesLoaded() && !m.isMoving()) void follow();
		else m.once('idle', () => void follow());
	}

	#interaction() {
		const m = this.#m;
		const pointer = () => (m.getCanvas().style.cursor = 'pointer');
		this.#on(
			'click',
			'items-clusters',
			async (e: { features?: MapGeoJSONFeature[]; preventDefault(): void }) => {
				e.preventDefault();
				const f = e.features?.[0];
				if (!f) return;
				const zoom = await (m.getSource('items-points') as GeoJSONSource).getClusterExpansionZoom(
					f.properties.cluster_id as number
				);
				m.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom });
			}
		);
		for (const layer of ['items-points', 'items-line', 'items-area']) {
			this.#on(
				'click',
				layer,
				(e: {
					features?: MapGeoJSONFeature[];
					lngLat: { lng: number; lat: number };
					preventDefault(): void;
				}) => {
					e.preventDefault();
					const f = e.features?.[0];
					if (f) this.#o.onPick?.(e.lngLat, f.properties);
				}
			);
			this.#on('mouseenter', layer, pointer);
		}
		this.#on('mouseenter', 'items-clusters', pointer);
		// A cell, or a single item counted below the detail zoom, opens up when clicked; the
		// transparent layers of themes not chosen are no part of the map a person sees.
		const tileIds = this.#tileLayers.map((l) => l.id);
		const hit = (e: { features?: MapGeoJSONFeature[] }) =>
			e.features?.find((f) => this.#shown.has(f.layer.id));
		this.#on(
			'click',
			tileIds,
			(e: {
				features?: MapGeoJSONFeature[];
				lngLat: { lng: number; lat: number };
				preventDefault(): void;
			}) => {
				const f = hit(e);
				if (!f) return;
				e.preventDefault();
				// A street-sized tile too full to draw item by item is counted as well (item-tiles.ts):
				// closer in, the view is small enough to hold every item.
				const closer =
					m.getZoom() < DETAIL_ZOOM ? Math.min(DETAIL_ZOOM, m.getZoom() + 2) : m.getZoom() + 2;
				if (f.layer.id.startsWith('items-tile-cells')) m.easeTo({ center: e.lngLat, zoom: closer });
				else if (f.properties.title === undefined)
					m.easeTo({ center: e.lngLat, zoom: Math.max(DETAIL_ZOOM, closer) });
				else this.#o.onPick?.(e.lngLat, f.properties);
			}
		);
		this.#on('mousemove', tileIds, (e: { features?: MapGeoJSONFeature[] }) => {
			if (hit(e)) pointer();
		});
	}
}
