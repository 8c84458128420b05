import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import { tileIdToZxy, zxyToTileId as officialTileId } from 'pmtiles';
import {
	writeArchive,
	zxyToTileId,
	type TileInput
} from '../../src/lib/server/tiles/pmtiles-writer.ts';
import { headProblem, readDirectory } from '../../src/lib/server/tiles/pmtiles-check.ts';
import { readerFor } from '../helpers/pmtiles.ts';

const text = new TextEncoder();

/** z0..z7 complete: 21,845 tiles, more than a root directory can hold. */
function synthetic(): TileInput[] {
	const tiles: TileInput[] = [];
	for (let z = 0; z <= 7; z++) {
		for (let x = 0; x < 2 ** z; x++) {
			for (let y = 0; y < 2 ** z; y++) {
				const id = zxyToTileId(z, x, y);
				let body: string;
				// Long stretches along the curve share one content (like open water): runs.
				if (z === 7 && id % 1000 < 300) body = 'sea';
				// Scattered repeats: stored once, but not neighbours.
				else if ((x + 3 * y) % 11 === 0) body = `shared ${(x + y) % 3}`;
				// Lengths that vary without pattern keep the directory from compressing into the root.
				else body = `tile ${z}/${x}/${y} ` + 'x'.repeat((id * 2654435761) % 1201);
				tiles.push({ z, x, y, data: text.encode(body) });
			}
		}
	}
	return tiles;
}

describe('Hilbert tile ids', () => {
	it('agree with the official reader for any tile up to zoom 26', () => {
		fc.assert(
			fc.property(
				fc
					.integer({ min: 0, max: 26 })
					.chain((z) => fc.tuple(fc.constant(z), fc.nat(2 ** z - 1), fc.nat(2 ** z - 1))),
				([z, x, y]) => {
					const id = zxyToTileId(z, x, y);
					expect(id).toBe(officialTileId(z, x, y));
					expect(tileIdToZxy(id)).toEqual([z, x, y]);
				}
			),
			{ numRuns: 5000 }
		);
	});

	it('refuse tiles outside their zoom', () => {
		expect(() => zxyToTileId(3, 8, 0)).toThrow(/buiten/);
		expect(() => zxyToTileId(27, 0, 0)).toThrow(/buiten/);
	});
});

describe('PMTiles v3 writer', () => {
	const tiles = synthetic();
	// Added in a scrambled order: the writer must sort them itself.
	const scrambled = [...tiles].sort(
		(a, b) =>
			((a.x * 7919 + a.y * 104729 + a.z) % 9973) - ((b.x * 7919 + b.y * 104729 + b.z) % 9973)
	);
	const archive = writeArchive(scrambled, {
		metadata: { name: 'test', vector_layers: [{ id: 'wijk' }] },
		bounds: [4.9, 52.0, 5.2, 52.2],
		center: [5.05, 52.1, 3]
	});

	it('writes a header the official reader understands', async () => {
		const h = await readerFor(archive).getHeader();
		expect(h).toMatchObject({
			specVersion: 3,
			minZoom: 0,
			maxZoom: 7,
			numAddressedTiles: tiles.length,
			clustered: true,
			internalCompression: 2,
			tileCompression: 2,
			tileType: 1,
			centerZoom: 3
		});
		expect(h.minLon).toBeCloseTo(4.9, 6);
		expect(h.minLat).toBeCloseTo(52.0, 6);
		expect(h.maxLon).toBeCloseTo(5.2, 6);
		expect(h.maxLat).toBeCloseTo(52.2, 6);
		expect(h.centerLon).toBeCloseTo(5.05, 6);
		expect(h.centerLat).toBeCloseTo(52.1, 6);
		expect(h.tileDataOffset + (h.tileDataLength ?? 0)).toBe(archive.length);
		expect(await readerFor(archive).getMetadata()).toEqual({
			name: 'test',
			vector_layers: [{ id: 'wijk' }]
		});
	});

	it('stores repeated tiles once and neighbours with one content as one run', async () => {
		const h = await readerFor(archive).getHeader();
		const distinct = new Set(tiles.map((t) => Buffer.from(t.data).toString('latin1'))).size;
		expect(h.numTileContents).toBe(distinct);
		expect(h.numTileEntries).toBeLessThan(tiles.length);
		expect(h.numTileEntries).toBeGreaterThan(h.numTileContents);
	});

	it('puts the root in the first 16 KiB and the rest in leaf directories', async () => {
		const h = await readerFor(archive).getHeader();
		expect(h.rootDirectoryOffset + h.rootDirectoryLength).toBeLessThanOrEqual(16384);
		expect(h.leafDirectoryLength).toBeGreaterThan(0);
		const root = readDirectory(
			gunzipSync(
				archive.subarray(h.rootDirectoryOffset, h.rootDirectoryOffset + h.rootDirectoryLength)
			)
		);
		expect(root.length).toBeGreaterThan(1);
		expect(root.every((e) => e.runLength === 0)).toBe(true);
	});

	it('gives back every tile, byte for byte', async () => {
		const reader = readerFor(archive);
		for (const t of tiles) {
			const got = await reader.getZxy(t.z, t.x, t.y);
			expect(got, `${t.z}/${t.x}/${t.y}`).toBeDefined();
			expect(Buffer.from(got!.data).equals(Buffer.from(t.data)), `${t.z}/${t.x}/${t.y}`).toBe(true);
		}
	}, 120_000);

	it('lays tile data out in tile-id order (clustered), whatever order the tiles came in', () => {
		const bytes = Buffer.from(archive);
		const u64 = (pos: number) => Number(bytes.readBigUInt64LE(pos));
		const dir = (offset: number, length: number) =>
			readDirectory(gunzipSync(bytes.subarray(offset, offset + length)));
		const entries = dir(u64(8), u64(16)).flatMap((leaf) => dir(u64(40) + leaf.offset, leaf.length));
		expect(entries.reduce((n, e) => n + e.runLength, 0)).toBe(tiles.length);
		// Walking the curve, a content is either one seen before or the next one in the file.
		let end = 0;
		for (const e of entries) {
			if (e.offset >= end) {
				expect(e.offset).toBe(end);
				end += e.length;
			}
		}
		expect(end).toBe(u64(64));
		const inOrder = writeArchive(tiles, {
			metadata: { name: 'test', vector_layers: [{ id: 'wijk' }] },
			bounds: [4.9, 52.0, 5.2, 52.2],
			center: [5.05, 52.1, 3]
		});
		expect(Buffer.from(inOrder).equals(bytes)).toBe(true);
	});

	it('writes a valid archive without tiles, and refuses the same tile twice', async () => {
		const empty = writeArchive([], { metadata: { name: 'leeg' }, bounds: [5, 52, 5.1, 52.1] });
		expect(headProblem(Buffer.from(empty), empty.length)).toBeNull();
		expect(await readerFor(empty).getZxy(0, 0, 0)).toBeUndefined();
		const t = { z: 3, x: 1, y: 2, data: text.encode('a') };
		expect(() =>
			writeArchive([t, { ...t, data: text.encode('b') }], { metadata: {}, bounds: [0, 0, 1, 1] })
		).toThrow(/twee keer/);
	});
});

describe('archive check', () => {
	const archive = Buffer.from(
		writeArchive(synthetic().slice(0, 500), {
			metadata: { name: 't' },
			bounds: [4.9, 52.0, 5.2, 52.2]
		})
	);

	it('accepts a whole archive', () => {
		expect(headProblem(archive.subarray(0, 16384), archive.length)).toBeNull();
	});

	it('notices truncation, a damaged index and a file that is no archive', () => {
		expect(headProblem(archive.subarray(0, 16384), archive.length - 10)).toMatch(/afgekapt/);
		const damaged = Buffer.from(archive);
		const rootOffset = Number(damaged.readBigUInt64LE(8));
		damaged.fill(0x55, rootOffset + 10, rootOffset + 30);
		expect(headProblem(damaged.subarray(0, 16384), damaged.length)).toMatch(/onleesbare|buiten/);
		expect(headProblem(Buffer.from('{"type":"FeatureCollection"}'.padEnd(200)), 200)).toMatch(
			/geen PMTiles/
		);
	});
});
