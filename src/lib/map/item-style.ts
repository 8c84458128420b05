import type { LayerSpecification } from 'maplibre-gl';
import { LAYERS, STATUSES, type Layer } from '../domain/layers.ts';

/**
 * Items on the map: a symbol per layer, a colour per status. Colours say where a thing
 * stands (open, in progress, done, stopped), the same way in every layer.
 */
export const LAYER_SHAPE: Record<Layer, 'circle' | 'square' | 'triangle' | 'diamond'> = {
	meldingen: 'circle',
	initiatieven: 'diamond',
	projecten: 'square',
	bijeenkomsten: 'triangle'
};

const STATUS_COLOR: Record<string, string> = {
	// open, nothing done yet
	gemeld: '#d52b1e',
	idee: '#8f5bb5',
	aangevraagd: '#b35900',
	verkenning: '#8f5bb5',
	gepland: '#0069b4',
	heropend: '#a1006b',
	// under way
	in_behandeling: '#b35900',
	ingepland: '#0069b4',
	toegekend: '#0069b4',
	in_uitvoering: '#00807a',
	ontwerp: '#b35900',
	besluitvorming: '#0069b4',
	uitvoering: '#00807a',
	// done
	afgehandeld: '#2f7d32',
	afgerond: '#2f7d32',
	opgeleverd: '#2f7d32',
	geweest: '#5c6670',
	// stopped
	afgewezen: '#5c6670',
	geannuleerd: '#5c6670'
};

export function statusColor(status: string): string {
	return STATUS_COLOR[status] ?? '#44505c';
}

export function iconId(layer: string, status: string): string {
	return `item-${layer}-${status}`;
}

export const ITEM_ICONS: { id: string; layer: Layer; color: string }[] = LAYERS.flatMap((layer) =>
	STATUSES[layer].map((s) => ({ id: iconId(layer, s.id), layer, color: statusColor(s.id) }))
);

/** Draws a layer symbol in a status colour; MapLibre takes it as an image, no sprite server needed. */
export function drawIcon(shape: (typeof LAYER_SHAPE)[Layer], color: string, size = 22): ImageData {
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = size;
	const ctx = canvas.getContext('2d')!;
	const c = size / 2;
	const r = size / 2 - 3;
	ctx.beginPath();
	if (shape === 'circle') ctx.arc(c, c, r, 0, Math.PI * 2);
	else if (shape === 'square') ctx.rect(c - r * 0.85, c - r * 0.85, r * 1.7, r * 1.7);
	else if (shape === 'triangle') {
		ctx.moveTo(c, c - r);
		ctx.lineTo(c + r, c + r * 0.8);
		ctx.lineTo(c - r, c + r * 0.8);
		ctx.closePath();
	} else {
		ctx.moveTo(c, c - r);
		ctx.lineTo(c + r, c);
		ctx.lineTo(c, c + r);
		ctx.lineTo(c - r, c);
		ctx.closePath();
	}
	ctx.fillStyle = color;
	ctx.fill();
	ctx.lineWidth = 2;
	ctx.strokeStyle = '#fff';
	ctx.stroke();
	return ctx.getImageData(0, 0, size, size);
}

/** A cluster bubble with its count, drawn locally because the map has no glyph server. */
export function drawCluster(count: string, size = 40): ImageData {
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = size;
	const ctx = canvas.getContext('2d')!;
	ctx.beginPath();
	ctx.arc(size / 2, size / 2, size / 2 - 2, 0, Math.PI * 2);
	ctx.fillStyle = '#00457c';
	ctx.fill();
	ctx.lineWidth = 3;
	ctx.strokeStyle = '#fff';
	ctx.stroke();
	ctx.fillStyle = '#fff';
	ctx.font = `bold ${count.length > 3 ? 11 : 13}px system-ui, sans-serif`;
	ctx.textAlign = 'center';
	ctx.textBaseline = 'middle';
	ctx.fillText(count, size / 2, size / 2 + 1);
	return ctx.getImageData(0, 0, size, size);
}

/**
 * What the tile layers draw for chosen themes (none chosen: every theme). Cells carry a count per
 * theme (`theme:<id>`, src/lib/server/tiles/item-tiles.ts), so a cell shows the sum for the chosen
 * themes and a theme change needs no new tiles. A lone item (count 1) is drawn with its own
 * symbol when its theme is chosen; a cell that narrows to one item stays a bubble, as its item's
 * status is not in the tile.
 */
export function tileThemeStyle(themes: readonly string[]): { cellFilter: unknown; cellIcon: unknown; pointFilter: unknown } {
	const count = themes.length ? ['+', 0, ...themes.map((t) => ['coalesce', ['get', `theme:${t}`], 0])] : ['get', 'count'];
	const abbreviated = ['case', ['>=', count, 1000], ['concat', ['to-string', ['round', ['/', count, 1000]]], 'k'], ['to-string', count]];
	const chosen = themes.length ? ['in', ['get', 'theme'], ['literal', [...themes]]] : true;
	return {
		cellFilter: ['all', ['>', ['get', 'count'], 1], ['>', count, 0]],
		cellIcon: ['concat', 'cluster-', abbreviated],
		pointFilter: ['all', ['==', ['get', 'count'], 1], ['==', ['geometry-type'], 'Point'], chosen]
	};
}

/**
 * Where a view holds more items than one request returns, points come as vector tiles: counts
 * per grid cell below the detail zoom, single items from it (src/lib/server/tiles/item-tiles.ts).
 */
export function itemTileLayers(themes: readonly string[] = []): LayerSpecification[] {
	const style = tileThemeStyle(themes);
	return [
		{
			id: 'items-tile-cells',
			type: 'symbol',
			source: 'items-tiles',
			'source-layer': 'items',
			filter: style.cellFilter as never,
			layout: { 'icon-image': style.cellIcon as never, 'icon-allow-overlap': true, visibility: 'none' }
		},
		{
			id: 'items-tile-points',
			type: 'symbol',
			source: 'items-tiles',
			'source-layer': 'items',
			filter: style.pointFilter as never,
			layout: { 'icon-image': ['concat', 'item-', ['get', 'layer'], '-', ['get', 'status']], 'icon-allow-overlap': true, visibility: 'none' }
		}
	];
}

export function itemLayers(): LayerSpecification[] {
	const color = ['match', ['get', 'status'], ...Object.entries(STATUS_COLOR).flat(), '#44505c'] as unknown as string;
	return [
		{ id: 'items-area', type: 'fill', source: 'items-shapes', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': color, 'fill-opacity': 0.25 } },
		{ id: 'items-area-line', type: 'line', source: 'items-shapes', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': color, 'line-width': 2 } },
		{ id: 'items-line', type: 'line', source: 'items-shapes', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': color, 'line-width': 5, 'line-opacity': 0.85 } },
		{
			id: 'items-clusters',
			type: 'symbol',
			source: 'items-points',
			filter: ['has', 'point_count'],
			layout: { 'icon-image': ['concat', 'cluster-', ['get', 'point_count_abbreviated']], 'icon-allow-overlap': true }
		},
		{
			id: 'items-points',
			type: 'symbol',
			source: 'items-points',
			filter: ['!', ['has', 'point_count']],
			layout: { 'icon-image': ['concat', 'item-', ['get', 'layer'], '-', ['get', 'status']], 'icon-allow-overlap': true }
		},
		{ id: 'items-focus-line', type: 'line', source: 'items-focus', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#e17000', 'line-width': 6, 'line-opacity': 0.8 } },
		{ id: 'items-focus', type: 'circle', source: 'items-focus', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 16, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#e17000', 'circle-stroke-width': 4 } }
	];
}
