import { describe, expect, it } from 'vitest';
import { writeArchive, type TileInput } from '../../src/lib/server/tiles/pmtiles-writer.ts';
import { readerFor } from '../helpers/pmtiles.ts';

function synthetic(): TileInput[] {
	const tiles: TileInput[] = [];
	// z0..z7 complete (21,845 tiles) forces leaf directories; every 7th tile repeats one content.
	for (let z = 0; z <= 7; z++) {
		for (let x = 0; x < 2 ** z; x++) {
			for (let y = 0; y < 2 ** z; y++) {
				const same = (x + y) % 7 === 0;
				// Varying lengths keep the directory from compressing into the root alone.
				const body = same ? 'shared' : `tile ${z}/${x}/${y} ` + 'x'.repeat((x * 31 + y * 17 + z) % 97);
				tiles.push({ z, x, y, data: new TextEncoder().encode(body) });
			}
		}
	}
	return tiles;
}

describe('PMTiles v3 writer', () => {
	const tiles = synthetic();
	const archive = writeArchive(tiles, {
		metadata: { name: 'test', vector_layers: [] },
		bounds: [4.9, 52.0, 5.2, 52.2],
		center: [5.05, 52.1, 3]
	});

	it('writes a header the official reader understands', async () => {
		const reader = readerFor(archive);
		const h = await reader.getHeader();
		expect(h.specVersion).toBe(3);
		expect(h.minZoom).toBe(0);
		expect(h.maxZoom).toBe(7);
		expect(h.numAddressedTiles).toBe(tiles.length);
		expect(h.numTileContents).toBeLessThan(tiles.length); // duplicates stored once
		expect(h.leafDirectoryLength).toBeGreaterThan(0); // too many entries for the root alone
		expect(h.minLon).toBeCloseTo(4.9, 6);
		expect(h.maxLat).toBeCloseTo(52.2, 6);
		expect(h.centerZoom).toBe(3);
		expect(await reader.getMetadata()).toEqual({ name: 'test', vector_layers: [] });
	});

	it('gives back every tile, byte for byte', async () => {
		const reader = readerFor(archive);
		const dec = new TextDecoder();
		for (const t of tiles) {
			const got = await reader.getZxy(t.z, t.x, t.y);
			expect(got, `${t.z}/${t.x}/${t.y}`).toBeDefined();
			expect(dec.decode(got!.data)).toBe(dec.decode(t.data));
		}
		expect(await reader.getZxy(8, 0, 0)).toBeUndefined();
	}, 120_000);
});
