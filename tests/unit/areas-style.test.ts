import { describe, expect, it } from 'vitest';
import type { LayerSpecification } from 'maplibre-gl';
import { areaLayers, FINE_LEVEL_ZOOM, plainStyle } from '../../src/lib/map/area-style.ts';
import { areaHref } from '../../src/lib/domain/area.ts';

type Line = Extract<LayerSpecification, { type: 'line' }>;
const lines = (layers: LayerSpecification[]) => layers.filter((l): l is Line => l.type === 'line');
/** Line width at a zoom, for the ['interpolate', ['linear'], ['zoom'], z1, w1, z2, w2] the style uses. */
function widthAt(l: Line, zoom: number): number {
	const w = l.paint?.['line-width'];
	if (typeof w === 'number') return w;
	const [, , , z1, w1, z2, w2] = w as unknown as [
		string,
		unknown,
		unknown,
		number,
		number,
		number,
		number
	];
	const t = Math.min(1, Math.max(0, (zoom - z1) / (z2 - z1)));
	return w1 + t * (w2 - w1);
}

describe('area map style', () => {
	it('draws the coarsest level bold and the finer levels thinner, the coarse outline on top', () => {
		const layers = areaLayers(['wijk', 'buurt']);
		const [first, second] = ['wijk', 'buurt'].map((lvl) =>
			lines(layers).find((l) => l['source-layer'] === lvl)!
		);
		for (const z of [10, 12, 14]) expect(widthAt(first, z)).toBeGreaterThan(widthAt(second, z));
		const ids = layers.map((l) => l.id);
		expect(ids.indexOf('wijk-line')).toBeGreaterThan(ids.indexOf('buurt-line'));
	});

	it('styles any number of levels by depth, names coming from the store', () => {
		const levels = ['stadsdeel', 'wijk', 'buurt', 'blok'];
		const layers = areaLayers(levels);
		for (const lvl of levels) {
			expect(layers.some((l) => l.type === 'fill' && l['source-layer'] === lvl)).toBe(true);
			expect(layers.some((l) => l.type === 'line' && l['source-layer'] === lvl)).toBe(true);
		}
		const widths = levels.map((lvl) =>
			widthAt(
				lines(layers).find((l) => l['source-layer'] === lvl)!,
				14
			)
		);
		expect(widths[0]).toBe(Math.max(...widths));
		// Finer areas only become pointable when zoomed in far enough to tell them apart.
		expect(layers.find((l) => l.id === 'buurt-fill')!.minzoom).toBeGreaterThan(
			layers.find((l) => l.id === 'stadsdeel-fill')!.minzoom ?? 0
		);
		expect(layers.find((l) => l.id === 'wijk-fill')!.minzoom).toBeLessThan(FINE_LEVEL_ZOOM);
	});

	it('outlines the highlighted area on its own level only', () => {
		const layers = areaLayers(['wijk', 'buurt'], { level: 'buurt', code: '0611' });
		const hl = layers.filter((l) => l.id.startsWith('highlight-'));
		expect(hl).toHaveLength(2);
		for (const l of hl) {
			expect((l as Line)['source-layer']).toBe('buurt');
			expect((l as Line).filter).toEqual(['==', ['get', 'code'], '0611']);
		}
		// Drawn last, so nothing covers it.
		expect(layers.slice(-2)).toEqual(hl);
		expect(areaLayers(['wijk', 'buurt']).some((l) => l.id.startsWith('highlight-'))).toBe(false);
	});

	it('without a basemap asks nothing from outside: only the local tiles, no glyphs or sprites', () => {
		const style = plainStyle('pmtiles://http://localhost:3000/tiles/areas.pmtiles', [
			'wijk',
			'buurt'
		]);
		expect(Object.values(style.sources).map((s) => (s as { url: string }).url)).toEqual([
			'pmtiles://http://localhost:3000/tiles/areas.pmtiles'
		]);
		expect(style.glyphs).toBeUndefined();
		expect(style.sprite).toBeUndefined();
		expect(style.layers[0].type).toBe('background');
		expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
	});
});

describe('area links', () => {
	it('gives wijken their short route and other levels the general one, codes escaped', () => {
		expect(areaHref('wijk', '06')).toBe('/wijk/06');
		expect(areaHref('buurt', '0611')).toBe('/gebied/buurt/0611');
		expect(areaHref('buurt', 'a/b c')).toBe('/gebied/buurt/a%2Fb%20c');
	});
});
