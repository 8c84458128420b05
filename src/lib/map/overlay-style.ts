import type { LayerSpecification } from 'maplibre-gl';

/**
 * Shapes a page draws over the areas (agenda actions and what they link to): colour from the
 * feature, thick enough to read on a projector; the selected ones get a dark halo.
 */
export const OVERLAY_LAYER_IDS = ['overlay-fill', 'overlay-line', 'overlay-point'] as const;

// Multi-geometries report their own type in MapLibre 6.
const polygon = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]] as const;
const line = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]] as const;
const point = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]] as const;

const changed = ['==', ['get', 'kind'], 'changed'] as const;

/**
 * Filters of the layers that follow the selected keys: the two highlight layers, and the items
 * changed since the previous meeting, drawn only where a slide lists them.
 */
export function selectedFilters(selected: string[]) {
	const isSelected = ['in', ['get', 'key'], ['literal', selected]];
	return {
		'overlay-selected-line': ['all', ['!', point], ['!', changed], isSelected],
		'overlay-selected-point': ['all', point, ['!', changed], isSelected],
		'overlay-changed-line': ['all', ['!', point], changed, isSelected],
		'overlay-changed-point': ['all', point, changed, isSelected]
	};
}

export function overlayLayers(selected: string[]): LayerSpecification[] {
	const sel = selectedFilters(selected);
	const related = ['==', ['get', 'kind'], 'related'];
	return [
		{
			id: 'overlay-fill',
			type: 'fill',
			source: 'overlay',
			filter: ['all', polygon, ['!', changed]] as never,
			paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.22 }
		},
		{
			id: 'overlay-selected-line',
			type: 'line',
			source: 'overlay',
			filter: sel['overlay-selected-line'] as never,
			paint: { 'line-color': '#111', 'line-width': 9, 'line-opacity': 0.85 }
		},
		{
			id: 'overlay-line',
			type: 'line',
			source: 'overlay',
			filter: ['all', ['!', point], ['!', changed]] as never,
			paint: {
				'line-color': ['get', 'color'],
				'line-width': ['case', related, 2, line, 6, 3] as never
			}
		},
		{
			id: 'overlay-selected-point',
			type: 'circle',
			source: 'overlay',
			filter: sel['overlay-selected-point'] as never,
			paint: { 'circle-radius': 16, 'circle-color': '#111' }
		},
		{
			id: 'overlay-point',
			type: 'circle',
			source: 'overlay',
			filter: ['all', point, ['!', changed]] as never,
			paint: {
				'circle-radius': ['case', related, 7, 11] as never,
				'circle-color': ['get', 'color'],
				'circle-stroke-color': '#fff',
				'circle-stroke-width': 3
			}
		},
		// Changed since the previous meeting: orange with a dark edge, unlike any action or meeting.
		{
			id: 'overlay-changed-line',
			type: 'line',
			source: 'overlay',
			filter: sel['overlay-changed-line'] as never,
			paint: { 'line-color': ['get', 'color'], 'line-width': 5, 'line-dasharray': [2, 1] }
		},
		{
			id: 'overlay-changed-point',
			type: 'circle',
			source: 'overlay',
			filter: sel['overlay-changed-point'] as never,
			paint: {
				'circle-radius': 9,
				'circle-color': ['get', 'color'],
				'circle-stroke-color': '#111',
				'circle-stroke-width': 3
			}
		}
	];
}
