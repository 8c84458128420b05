import { open } from 'node:fs/promises';
import path from 'node:path';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { MAX_TILE_ZOOM } from '../../geo/tiles.ts';
import { config } from '../config.ts';
import type { Sql } from '../db/types.ts';
import { extent } from '../ogc/collections.ts';

/**
 * TileJSON 3.0.0 for the item tiles and the area archive, so other map software can add them
 * without reading our code. Attribution and licence come from the configuration
 * (WIJKKAART_ATTRIBUTION, WIJKKAART_LICENSE); TileJSON has no licence field, so it is both an
 * extra `license` member and part of the attribution text.
 */

export function credits(): { attribution: string; license: string } {
	const c = config();
	return { attribution: `${c.attribution} — ${c.license}`, license: c.license };
}

export const ITEM_FIELDS = {
	id: 'Number: item id (from zoom 14, or where a cell holds one item)',
	layer: 'String: initiatieven, projecten, meldingen or bijeenkomsten',
	theme: 'String: theme id',
	status: 'String: status id',
	title: 'String: title',
	count: 'Number: items in the cell (below zoom 14)'
};

export async function itemTileJson(db: Sql, origin: string, search: string) {
	const box = await extent(db);
	return {
		tilejson: '3.0.0',
		name: 'Wijkkaart items',
		description: 'Openbare initiatieven, projecten, meldingen en bijeenkomsten; de filters van /api/items gelden ook hier.',
		version: '1.0.0',
		scheme: 'xyz',
		tiles: [`${origin}/tiles/items/{z}/{x}/{y}.mvt${search}`],
		minzoom: 0,
		maxzoom: MAX_TILE_ZOOM,
		...(box ? { bounds: box, center: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 12] } : {}),
		vector_layers: [{ id: 'items', description: 'Items, or counts per cell below zoom 14', fields: ITEM_FIELDS, minzoom: 0, maxzoom: MAX_TILE_ZOOM }],
		...credits()
	};
}

/** The area archive on disk as a pmtiles Source, read with positioned reads. */
class FileSource implements Source {
	constructor(private file: string) {}
	getKey() {
		return this.file;
	}
	async getBytes(offset: number, length: number): Promise<RangeResponse> {
		const fh = await open(this.file, 'r');
		try {
			const buf = Buffer.alloc(length);
			const { bytesRead } = await fh.read(buf, 0, length, offset);
			return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
		} finally {
			await fh.close();
		}
	}
}

export function areaArchivePath(): string {
	return path.join(config().tilesDir, 'areas.pmtiles');
}

/** A fresh reader per request: a rebuild renames a new archive over the old one. */
export function areaArchive(): PMTiles {
	return new PMTiles(new FileSource(areaArchivePath()));
}

export async function areaTileJson(origin: string) {
	const tj = (await areaArchive().getTileJson(`${origin}/tiles/areas`)) as Record<string, unknown>;
	return { ...tj, ...credits() };
}
