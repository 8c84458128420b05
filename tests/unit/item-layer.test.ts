import { describe, expect, it } from 'vitest';
import type { Map as MlMap } from 'maplibre-gl';
import {
	ItemLayer,
	type Item,
	type ItemLayerOptions,
	type ItemLayerState
} from '../../src/lib/map/item-layer.ts';
import { CELLS_STATE, MIX_LAYER, THEMES_STATE } from '../../src/lib/map/item-style.ts';

/** A map that records what the item layer asks of it; only the methods the layer uses. */
class FakeMap {
	calls: [string, ...unknown[]][] = [];
	sources = new Map<string, { data?: { features: Item[] }; tiles?: string[] }>();
	layers = new Map<string, { visibility?: string }>();
	handlers: { type: string; layer: unknown; fn: (e?: unknown) => void; once?: boolean }[] = [];
	bounds = [5.0, 52.0, 5.2, 52.1];
	styleLoaded = false;

	addSource(id: string, spec: { tiles?: string[] }) {
		this.calls.push(['addSource', id]);
		const src: {
			data?: { features: Item[] };
			tiles?: string[];
			setData?: unknown;
			setTiles?: unknown;
		} = { tiles: spec.tiles };
		src.setData = (data: { features: Item[] }) => {
			this.calls.push(['setData', id, data.features.map((f) => f.properties.id)]);
			src.data = data;
		};
		src.setTiles = (tiles: string[]) => {
			this.calls.push(['setTiles', id, tiles]);
			src.tiles = tiles;
		};
		this.sources.set(id, src);
	}
	getSource(id: string) {
		return this.sources.get(id);
	}
	addLayer(layer: { id: string; layout?: { visibility?: string } }) {
		this.layers.set(layer.id, { visibility: layer.layout?.visibility ?? 'visible' });
	}
	setLayoutProperty(id: string, prop: string, value: unknown) {
		this.calls.push(['setLayoutProperty', id, prop, value]);
		if (prop === 'visibility') this.layers.get(id)!.visibility = String(value);
	}
	setFilter(id: string, filter: unknown) {
		this.calls.push(['setFilter', id, filter]);
	}
	setGlobalStateProperty(name: string, value: unknown) {
		this.calls.push(['setGlobalStateProperty', name, value]);
	}
	getBounds() {
		const [w, s, e, n] = this.bounds;
		return { getWest: () => w, getSouth: () => s, getEast: () => e, getNorth: () => n };
	}
	on(type: string, a: unknown, b?: (e?: unknown) => void) {
		this.handlers.push(
			b ? { type, layer: a, fn: b } : { type, layer: null, fn: a as (e?: unknown) => void }
		);
	}
	once(type: string, fn: (e?: unknown) => void) {
		this.handlers.push({ type, layer: null, fn, once: true });
	}
	off(type: string, a: unknown, b?: unknown) {
		const fn = b ?? a;
		this.handlers = this.handlers.filter((h) => !(h.type === type && h.fn === fn));
	}
	/** Fires a map event (no layer): what MapLibre does on load, moveend, idle. */
	fire(type: string) {
		const hs = this.handlers.filter((h) => h.type === type && h.layer === null);
		this.handlers = this.handlers.filter((h) => !(h.once && hs.includes(h)));
		for (const h of hs) h.fn();
	}
	isStyleLoaded() {
		return this.styleLoaded;
	}
	loaded() {
		return true;
	}
	areTilesLoaded() {
		return true;
	}
	isMoving() {
		return false;
	}
	triggerRepaint() {}
	setMissingStyleImageResolver() {}
	getZoom() {
		return 12;
	}
	getCanvas() {
		return { style: {} };
	}
	easeTo() {}
	/** The ids given to a GeoJSON source, newest last. */
	dataOf(id: string) {
		return this.calls.filter((c) => c[0] === 'setData' && c[1] === id).map((c) => c[2] as number[]);
	}
	lastGlobal(name: string) {
		return this.calls.filter((c) => c[0] === 'setGlobalStateProperty' && c[1] === name).at(-1)?.[2];
	}
}

const item = (
	id: number,
	theme: string,
	geometry: Item['geometry'] = { type: 'Point', coordinates: [5.1, 52.05] }
): Item => ({
	type: 'Feature',
	geometry,
	properties: { id, theme, layer: 'meldingen', status: 'gemeld' }
});

/** A fetch whose answers the test gives, in any order. */
function fakeFetch() {
	const asked: { url: string; answer: (body: unknown, ok?: boolean) => Promise<void> }[] = [];
	const fn = ((url: string) =>
		new Promise<Response>((resolve) => {
			asked.push({
				url,
				answer: async (body, ok = true) => {
					resolve({ ok, json: async () => body } as Response);
					// Let the layer's awaits run.
					for (let i = 0; i < 5; i++) await Promise.resolve();
				}
			});
		})) as unknown as typeof fetch;
	return { fn, asked };
}

function setup(options: Partial<ItemLayerOptions> = {}) {
	const map = new FakeMap();
	const f = fakeFetch();
	const lists: { ids: number[]; complete: boolean; summary?: unknown }[] = [];
	let state: ItemLayerState | null = null;
	const layer = new ItemLayer(map as unknown as MlMap, {
		query: '',
		themes: [],
		themeIds: ['groen', 'verkeer', 'afval'],
		initialDense: false,
		origin: 'http://portal',
		fetch: f.fn,
		onItems: (features, complete, summary) =>
			lists.push({
				ids: features.map((x) => Number(x.properties.id)),
				complete,
				...(summary ? { summary } : {})
			}),
		onState: (s) => (state = s),
		...options
	});
	map.fire('load');
	return { map, layer, asked: f.asked, lists, state: () => state! };
}

const sparse = {
	features: [
		item(1, 'groen'),
		item(2, 'verkeer'),
		item(3, 'groen', {
			type: 'LineString',
			coordinates: [
				[5.1, 52.05],
				[5.11, 52.06]
			]
		})
	],
	next: null
};
const dense = { features: [item(10, 'groen'), item(11, 'verkeer')], next: 'abc' };

describe('the item layer', () => {
	it('asks the store for the view once, with its filters, and draws a sparse view as GeoJSON', async () => {
		const { map, asked, lists, state } = setup({ query: 'layer=meldingen' });
		// The first request and the one on 'load' are for the same view: asked once.
		expect(asked.map((a) => a.url)).toEqual([
			'/api/items?layer=meldingen&bbox=5.00000,52.00000,5.20000,52.10000&limit=5000'
		]);
		await asked[0].answer(sparse);
		expect(map.dataOf('items-points').at(-1)).toEqual([1, 2]);
		expect(map.dataOf('items-shapes').at(-1)).toEqual([3]);
		expect(state()).toMatchObject({ mode: 'geojson', count: 3, layers: [] });
		expect(map.layers.get('items-points')!.visibility).toBe('visible');
		expect(map.layers.get('items-tile-cells')!.visibility).toBe('none');
		expect(lists.at(-1)).toEqual({ ids: [1, 2, 3], complete: true });
	});

	it('switches to tiles when the view holds more than one request returns, and back', async () => {
		const { map, asked, state } = setup({ query: 'status=gemeld' });
		await asked[0].answer(dense);
		expect(state().mode).toBe('tiles');
		expect(map.layers.get('items-tile-cells')!.visibility).toBe('visible');
		expect(map.layers.get('items-points')!.visibility).toBe('none');
		// No points drawn twice: the tiles hold them.
		expect(map.dataOf('items-points').at(-1) ?? []).toEqual([]);
		expect(map.sources.get('items-tiles')!.tiles).toEqual([
			'http://portal/tiles/items/{z}/{x}/{y}.mvt?status=gemeld'
		]);
		expect(state().layers).toEqual([
			'items-tile-cells',
			'items-tile-points-groen',
			'items-tile-points-verkeer',
			'items-tile-points-afval',
			'items-tile-points'
		]);
		map.bounds = [5.1, 52.05, 5.11, 52.06];
		map.fire('moveend');
		expect(asked.at(-1)!.url).toContain('bbox=5.10000,52.05000,5.11000,52.06000&limit=5000');
		await asked.at(-1)!.answer(sparse);
		expect(state().mode).toBe('geojson');
		expect(map.layers.get('items-tile-cells')!.visibility).toBe('none');
		expect(map.layers.get('items-points')!.visibility).toBe('visible');
		expect(map.dataOf('items-points').at(-1)).toEqual([1, 2]);
	});

	it('shows tiles at once when the server said the first view is dense', () => {
		const { map, state } = setup({ initialDense: true });
		expect(map.layers.get('items-tile-cells')!.visibility).toBe('visible');
		// Said on the container at once too, before any answer.
		expect(state()).toMatchObject({ mode: 'tiles', url: '' });
	});

	it('never lets an older answer overwrite a newer one', async () => {
		const { map, layer, asked, state, lists } = setup();
		map.bounds = [5.05, 52.02, 5.15, 52.08];
		map.fire('moveend');
		expect(asked).toHaveLength(2);
		// The newer view answers first; the older one, slower, comes after it.
		await asked[1].answer(sparse);
		await asked[0].answer(dense);
		expect(state().mode).toBe('geojson');
		expect(state().url).toContain('bbox=5.05000,52.02000,5.15000,52.08000');
		expect(map.dataOf('items-points').at(-1)).toEqual([1, 2]);
		expect(lists.map((l) => l.ids)).toEqual([[1, 2, 3]]);
		// What a theme change draws from is still the newer answer.
		layer.setThemes(['groen']);
		expect(map.dataOf('items-points').at(-1)).toEqual([1]);
		// A filter change while the view's answer is under way: that answer is dropped too.
		const layer2 = setup();
		layer2.layer.setQuery('layer=projecten');
		expect(layer2.asked[1].url).toContain('layer=projecten');
		await layer2.asked[1].answer(sparse);
		await layer2.asked[0].answer(dense);
		expect(layer2.state().mode).toBe('geojson');
		expect(layer2.state().url).toContain('layer=projecten');
	});

	it('asks again after a failed answer, and a destroyed layer answers nothing', async () => {
		const { map, layer, asked, lists } = setup();
		await asked[0].answer({ error: 'x' }, false);
		map.fire('moveend');
		expect(asked).toHaveLength(2);
		layer.destroy();
		await asked[1].answer(sparse);
		expect(lists).toEqual([]);
		map.fire('moveend');
		expect(asked).toHaveLength(2);
	});

	it('filters themes on the client in a sparse view, without asking the store', async () => {
		const { map, layer, asked, lists, state } = setup();
		await asked[0].answer(sparse);
		layer.setThemes(['groen']);
		expect(asked).toHaveLength(1);
		expect(map.dataOf('items-points').at(-1)).toEqual([1]);
		expect(map.dataOf('items-shapes').at(-1)).toEqual([3]);
		expect(lists.at(-1)).toEqual({ ids: [1, 3], complete: true });
		expect(state().url).toContain('theme=groen');
		layer.setThemes([]);
		expect(map.dataOf('items-points').at(-1)).toEqual([1, 2]);
	});

	it('filters themes in the tiles by paint state only, and a mix by its own filter', async () => {
		const { map, layer, asked, state } = setup();
		await asked[0].answer(dense);
		const tilesSet = map.calls.filter((c) => c[0] === 'setTiles').length;
		layer.setThemes(['groen']);
		expect(map.lastGlobal(CELLS_STATE)).toBe('groen');
		expect(map.lastGlobal(THEMES_STATE)).toEqual(['groen']);
		expect(state().layers).toEqual(['items-tile-cells-groen', 'items-tile-points-groen']);
		layer.setThemes(['groen', 'verkeer']);
		expect(map.lastGlobal(CELLS_STATE)).toBe('mix');
		expect(map.calls.some((c) => c[0] === 'setFilter' && c[1] === MIX_LAYER)).toBe(true);
		expect(state().layers).toEqual([
			MIX_LAYER,
			'items-tile-points-groen',
			'items-tile-points-verkeer'
		]);
		// Same store query: the tiles at hand are kept.
		expect(map.calls.filter((c) => c[0] === 'setTiles').length).toBe(tilesSet);
		layer.setQuery('layer=projecten');
		expect(asked.at(-1)!.url).toMatch(/^\/api\/items\?layer=projecten&bbox=/);
		await asked.at(-1)!.answer(dense);
		expect(map.sources.get('items-tiles')!.tiles).toEqual([
			'http://portal/tiles/items/{z}/{x}/{y}.mvt?layer=projecten'
		]);
	});

	it("lists a dense view nearest the middle first, with the store's counts for the whole view", async () => {
		const { map, layer, asked, lists } = setup({ query: 'status=gemeld' });
		map.bounds = [5.0, 52.0, 5.2, 52.1];
		await asked[0].answer(dense);
		const list = asked[1].url;
		expect(list).toBe(
			'/api/items?status=gemeld&bbox=5.00000,52.00000,5.20000,52.10000&near=5.100000,52.050000&limit=300&count=true'
		);
		const summary = {
			total: 7000,
			layers: { meldingen: 6000, initiatieven: 1000 },
			themes: { groen: 7000 }
		};
		await asked[1].answer({
			features: [item(11, 'verkeer')],
			next: null,
			numberMatched: 7000,
			numberMatchedBy: { layer: summary.layers, theme: summary.themes }
		});
		expect(lists.at(-1)).toEqual({ ids: [11], complete: false, summary });
		// A theme: asked of the store with it; an answer for the view before comes too late.
		layer.setThemes(['groen']);
		expect(asked[2].url).toContain('status=gemeld&theme=groen&bbox=');
		map.bounds = [5.05, 52.02, 5.15, 52.08];
		map.fire('moveend');
		await asked[3].answer(dense);
		await asked[2].answer({
			features: [item(10, 'groen')],
			next: null,
			numberMatched: 1,
			numberMatchedBy: { layer: {}, theme: {} }
		});
		expect(lists.at(-1)!.ids).toEqual([11]);
	});

	it('points out the item in focus', () => {
		const { map, layer } = setup();
		layer.focus(item(7, 'groen'));
		expect(map.dataOf('items-focus').at(-1)).toEqual([7]);
		layer.focus(null);
		expect(map.dataOf('items-focus').at(-1)).toEqual([]);
	});
});
