import type { LayerSpecification } from 'maplibre-gl';
import { LAYERS, STATUSES, type Layer } from '../domain/layers.ts';
import { BUBBLE_PX, ICON_PX } from '../geo/tiles.ts';

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
export function drawIcon(
	shape: (typeof LAYER_SHAPE)[Layer],
	color: string,
	size = ICON_PX
): ImageData {
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
export function drawCluster(count: string, size = BUBBLE_PX): ImageData {
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

/** MapLibre global state the tile layers read: which cells to show ('all', a theme id or 'mix'), and the chosen themes. */
export const CELLS_STATE = 'itemCells';
export const THEMES_STATE = 'itemThemes';
export const MIX_LAYER = 'items-tile-cells-mix';

const abbreviated = (count: unknown) => [
	'case',
	['>=', count, 1000],
	['concat', ['to-string', ['round', ['/', count, 1000]]], 'k'],
	['to-string', count]
];
/** A cell (more than one item) that holds `count` > 0 of what is chosen. */
const cellWith = (count: unknown) => ['all', ['>', ['get', 'count'], 1], ['>', count, 0]];
const themeCount = (t: string) => ['coalesce', ['get', `theme:${t}`], 0];

/**
 * What the mixed cell layer draws for two or more chosen themes: cells carry a count per theme
 * (`theme:<id>`, src/lib/server/tiles/item-tiles.ts), summed here for the chosen ones.
 */
export function tileThemeStyle(themes: readonly string[]): {
	cellFilter: unknown;
	cellIcon: unknown;
} {
	const count = ['+', 0, ...themes.map(themeCount)];
	return { cellFilter: cellWith(count), cellIcon: ['concat', 'cluster-', abbreviated(count)] };
}

/** The tile layers that show for chosen themes (none: every theme), given the themes with layers of their own. */
export function shownTileLayers(themes: readonly string[], themeIds: readonly string[]): string[] {
	const mode = tileCellsMode(themes, themeIds);
	const cells =
		mode === 'all' ? 'items-tile-cells' : mode === 'mix' ? MIX_LAYER : `items-tile-cells-${mode}`;
	const points = themes.length ? themeIds.filter((t) => themes.includes(t)) : themeIds;
	return [
		cells,
		...points.map((t) => `items-tile-points-${t}`),
		...(themes.length ? [] : ['items-tile-points'])
	];
}

/** Every theme, one theme with layers of its own, or a mix that needs its own filter. */
export function tileCellsMode(themes: readonly string[], themeIds: readonly string[]): string {
	if (!themes.length) return 'all';
	return themes.length === 1 && themeIds.includes(themes[0]) ? themes[0] : 'mix';
}

/**
 * Where a view holds more items than one request returns, points come as vector tiles: counts
 * per grid cell below the detail zoom, single items from it (src/lib/server/tiles/item-tiles.ts).
 *
 * A theme change must not make MapLibre lay the tiles out again (a filter or layout change
 * reloads every tile of the source in the worker, and the map draws several frames meanwhile).
 * So every theme has its own cell layer (the cell's count for that theme) and lone-item layer,
 * laid out with the tiles, and a theme change only switches their opacity through global state,
 * a paint change. Two or more themes sum their counts in the mixed layer, whose filter is set then.
 */
export function itemTileLayers(themeIds: readonly string[] = []): LayerSpecification[] {
	const state = (name: string) => ['global-state', name];
	const shownWhen = (cond: unknown) => ({
		'icon-opacity': ['case', cond, 1, 0] as never,
		'icon-opacity-transition': { duration: 0, delay: 0 }
	});
	const symbol = (
		id: string,
		filter: unknown,
		image: unknown,
		cond: unknown
	): LayerSpecification => ({
		id,
		type: 'symbol',
		source: 'items-tiles',
		'source-layer': 'items',
		filter: filter as never,
		layout: { 'icon-image': image as never, 'icon-allow-overlap': true, visibility: 'none' },
		paint: shownWhen(cond)
	});
	const lone = ['all', ['==', ['get', 'count'], 1], ['==', ['geometry-type'], 'Point']];
	const itemIcon = ['concat', 'item-', ['get', 'layer'], '-', ['get', 'status']];
	const all = ['==', state(CELLS_STATE), 'all'];
	return [
		symbol(
			'items-tile-cells',
			cellWith(['get', 'count']),
			['concat', 'cluster-', abbreviated(['get', 'count'])],
			all
		),
		...themeIds.map((t) =>
			symbol(
				`items-tile-cells-${t}`,
				cellWith(themeCount(t)),
				['concat', 'cluster-', abbreviated(themeCount(t))],
				['==', state(CELLS_STATE), t]
			)
		),
		symbol(MIX_LAYER, false, 'cluster-0', ['==', state(CELLS_STATE), 'mix']),
		...themeIds.map((t) =>
			symbol(`items-tile-points-${t}`, [...lone, ['==', ['get', 'theme'], t]], itemIcon, [
				'any',
				all,
				['in', t, state(THEMES_STATE)]
			])
		),
		// Lone items of a theme without layers of their own (a taxonomy newer than the page).
		symbol(
			'items-tile-points',
			[...lone, ['!', ['in', ['get', 'theme'], ['literal', [...themeIds]]]]],
			itemIcon,
			all
		)
	];
}

/** Whether a style layer draws items (itemLayers, itemTileLayers): what the map keeps on top. */
export function isItemLayer(id: string): boolean {
	return id.startsWith('items-');
}

export function itemLayers(): LayerSpecification[] {
	const color = [
		'match',
		['get', 'status'],
		...Object.entries(STATUS_COLOR).flat(),
		'#44505c'
	] as unknown as string;
	return [
		{
			id: 'items-area',
			type: 'fill',
			source: 'items-shapes',
			filter: ['==', ['geometry-type'], 'Polygon'],
			paint: { 'fill-color': color, 'fill-opacity': 0.25 }
		},
		{
			id: 'items-area-line',
			type: 'line',
			source: 'items-shapes',
			filter: ['==', ['geometry-type'], 'Polygon'],
			paint: { 'line-color': color, 'line-width': 2 }
		},
		{
			id: 'items-line',
			type: 'line',
			source: 'items-shapes',
			filter: ['==', ['geometry-type'], 'LineString'],
			paint: { 'line-color': color, 'line-width': 5, 'line-opacity': 0.85 }
		},
		{
			id: 'items-clusters',
			type: 'symbol',
			source: 'items-points',
			filter: ['has', 'point_count'],
			layout: {
				'icon-image': ['concat', 'cluster-', ['get', 'point_count_abbreviated']],
				'icon-allow-overlap': true
			}
		},
		{
			id: 'items-points',
			type: 'symbol',
			source: 'items-points',
			filter: ['!', ['has', 'point_count']],
			layout: {
				'icon-image': ['concat', 'item-', ['get', 'layer'], '-', ['get', 'status']],
				'icon-allow-overlap': true
			}
		},
		{
			id: 'items-focus-line',
			type: 'line',
			source: 'items-focus',
			filter: ['!=', ['geometry-type'], 'Point'],
			paint: { 'line-color': '#e17000', 'line-width': 6, 'line-opacity': 0.8 }
		},
		{
			id: 'items-focus',
			type: 'circle',
			source: 'items-focus',
			filter: ['==', ['geometry-type'], 'Point'],
			paint: {
				'circle-radius': 16,
				'circle-color': 'rgba(0,0,0,0)',
				'circle-stroke-color': '#e17000',
				'circle-stroke-width': 4
			}
		}
	];
}
