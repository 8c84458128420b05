import type { FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';

/** Zoom from which the second level's outlines are clickable and labelled. */
export const FINE_LEVEL_ZOOM = 12.5;

const OUTLINE = ['#00457c', '#3d6f9e', '#7f9dbb', '#a9bdd1'];

/**
 * The area layers, styled by depth: the coarsest level bold, finer levels thinner. Pure, so
 * the same style serves the home map, the area pages and tests.
 */
export function areaLayers(
	levels: string[],
	highlight?: { level: string; code: string }
): LayerSpecification[] {
	const layers: LayerSpecification[] = [];
	levels.forEach((level, depth) => {
		layers.push({
			id: `${level}-fill`,
			type: 'fill',
			source: 'areas',
			'source-layer': level,
			minzoom: depth === 0 ? 0 : FINE_LEVEL_ZOOM - 1,
			paint: {
				'fill-color': '#00457c',
				'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.18, 0.01]
			}
		});
	});
	// Finer levels first, so the bold outlines of the coarse level lie on top.
	[...levels].reverse().forEach((level) => {
		const depth = levels.indexOf(level);
		layers.push({
			id: `${level}-line`,
			type: 'line',
			source: 'areas',
			'source-layer': level,
			minzoom: depth <= 1 ? 0 : 11,
			paint: {
				'line-color': OUTLINE[Math.min(depth, OUTLINE.length - 1)],
				'line-width':
					depth === 0
						? ['interpolate', ['linear'], ['zoom'], 9, 1.6, 14, 3.5]
						: ['interpolate', ['linear'], ['zoom'], 10, 0.4, 14, 1.4],
				'line-opacity': depth === 0 ? 1 : ['interpolate', ['linear'], ['zoom'], 10, 0.35, 13, 0.9]
			}
		});
	});
	if (highlight) {
		const filter: FilterSpecification = ['==', ['get', 'code'], highlight.code];
		layers.push(
			{
				id: 'highlight-fill',
				type: 'fill',
				source: 'areas',
				'source-layer': highlight.level,
				filter,
				paint: { 'fill-color': '#e17000', 'fill-opacity': 0.12 }
			},
			{
				id: 'highlight-line',
				type: 'line',
				source: 'areas',
				'source-layer': highlight.level,
				filter,
				paint: { 'line-color': '#e17000', 'line-width': 3.5 }
			}
		);
	}
	return layers;
}

/** Without a configured basemap: a calm plain background, and no request leaves the machine. */
export function plainStyle(
	tilesUrl: string,
	levels: string[],
	highlight?: { level: string; code: string }
): StyleSpecification {
	return {
		version: 8,
		sources: { areas: { type: 'vector', url: tilesUrl } },
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } },
			...areaLayers(levels, highlight)
		]
	};
}
