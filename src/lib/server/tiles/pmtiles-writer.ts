import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { zxyToTileId } from 'pmtiles';

/**
 * A small PMTiles v3 writer: no maintained one exists on npm. Pure: tiles in, archive bytes out.
 * Layout: header | root directory | metadata | leaf directories | tile data, with the root
 * inside the first 16 KiB so a reader gets header and root in one request.
 */
export interface TileInput {
	z: number;
	x: number;
	y: number;
	/** Uncompressed tile bytes (e.g. MVT); the writer gzips them. */
	data: Uint8Array;
}

export interface ArchiveOptions {
	metadata: Record<string, unknown>;
	bounds: [number, number, number, number];
	center?: [number, number, number];
	/** 1 = MVT */
	tileType?: number;
}

interface Entry {
	tileId: number;
	offset: number;
	length: number;
	runLength: number;
}

const HEADER_BYTES = 127;
const ROOT_MAX = 16384 - HEADER_BYTES;
const GZIP = 2;

function writeVarint(out: number[], value: number): void {
	let v = value;
	while (v >= 0x80) {
		out.push((v % 0x80) | 0x80);
		v = Math.floor(v / 0x80);
	}
	out.push(v);
}

export function serializeDirectory(entries: Entry[]): Uint8Array {
	const out: number[] = [];
	writeVarint(out, entries.length);
	let last = 0;
	for (const e of entries) {
		writeVarint(out, e.tileId - last);
		last = e.tileId;
	}
	for (const e of entries) writeVarint(out, e.runLength);
	for (const e of entries) writeVarint(out, e.length);
	entries.forEach((e, i) => {
		const prev = entries[i - 1];
		// 0 means "right after the previous entry", which keeps clustered archives small.
		writeVarint(out, i > 0 && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
	});
	return gzipSync(Uint8Array.from(out));
}

/** Splits entries into leaves until the root fits in the first 16 KiB. */
function buildDirectories(entries: Entry[]): { root: Uint8Array; leaves: Uint8Array } {
	const root = serializeDirectory(entries);
	if (root.length <= ROOT_MAX) return { root, leaves: new Uint8Array(0) };
	for (let leafSize = 4096; ; leafSize *= 2) {
		const rootEntries: Entry[] = [];
		const leafParts: Uint8Array[] = [];
		let offset = 0;
		for (let i = 0; i < entries.length; i += leafSize) {
			const leaf = serializeDirectory(entries.slice(i, i + leafSize));
			rootEntries.push({ tileId: entries[i].tileId, offset, length: leaf.length, runLength: 0 });
			leafParts.push(leaf);
			offset += leaf.length;
		}
		const r = serializeDirectory(rootEntries);
		if (r.length <= ROOT_MAX) return { root: r, leaves: concat(leafParts) };
	}
}

function concat(parts: Uint8Array[]): Uint8Array {
	const total = parts.reduce((n, p) => n + p.length, 0);
	const out = new Uint8Array(total);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

export function writeArchive(tiles: TileInput[], opts: ArchiveOptions): Uint8Array {
	const sorted = tiles
		.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), t }))
		.sort((a, b) => a.id - b.id);
	const entries: Entry[] = [];
	const parts: Uint8Array[] = [];
	const byHash = new Map<string, { offset: number; length: number }>();
	let dataLength = 0;
	for (const { id, t } of sorted) {
		const hash = createHash('sha1').update(t.data).digest('base64');
		let stored = byHash.get(hash);
		if (!stored) {
			const gz = gzipSync(t.data);
			stored = { offset: dataLength, length: gz.length };
			byHash.set(hash, stored);
			parts.push(gz);
			dataLength += gz.length;
		}
		const prev = entries[entries.length - 1];
		// Identical neighbours (e.g. all-water or all-inside tiles) become one run.
		if (prev && prev.offset === stored.offset && prev.tileId + prev.runLength === id) prev.runLength++;
		else entries.push({ tileId: id, offset: stored.offset, length: stored.length, runLength: 1 });
	}
	const { root, leaves } = buildDirectories(entries);
	const metadata = gzipSync(Buffer.from(JSON.stringify(opts.metadata)));
	const zooms = tiles.map((t) => t.z);
	const minZoom = zooms.length ? Math.min(...zooms) : 0;
	const maxZoom = zooms.length ? Math.max(...zooms) : 0;
	const [w, s, e, n] = opts.bounds;
	const center = opts.center ?? [(w + e) / 2, (s + n) / 2, minZoom];

	const rootOffset = HEADER_BYTES;
	const metadataOffset = rootOffset + root.length;
	const leafOffset = metadataOffset + metadata.length;
	const dataOffset = leafOffset + leaves.length;

	const header = new DataView(new ArrayBuffer(HEADER_BYTES));
	'PMTiles'.split('').forEach((c, i) => header.setUint8(i, c.charCodeAt(0)));
	header.setUint8(7, 3);
	const u64 = (pos: number, v: number) => header.setBigUint64(pos, BigInt(v), true);
	u64(8, rootOffset);
	u64(16, root.length);
	u64(24, metadataOffset);
	u64(32, metadata.length);
	u64(40, leafOffset);
	u64(48, leaves.length);
	u64(56, dataOffset);
	u64(64, dataLength);
	u64(72, tiles.length);
	u64(80, entries.length);
	u64(88, byHash.size);
	header.setUint8(96, 1); // clustered: tile data is in tile-id order
	header.setUint8(97, GZIP);
	header.setUint8(98, GZIP);
	header.setUint8(99, opts.tileType ?? 1);
	header.setUint8(100, minZoom);
	header.setUint8(101, maxZoom);
	const i32 = (pos: number, deg: number) => header.setInt32(pos, Math.round(deg * 1e7), true);
	i32(102, w);
	i32(106, s);
	i32(110, e);
	i32(114, n);
	header.setUint8(118, center[2]);
	i32(119, center[0]);
	i32(123, center[1]);

	return concat([new Uint8Array(header.buffer), root, metadata, leaves, ...parts]);
}
