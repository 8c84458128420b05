import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * A small PMTiles v3 writer (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
 * no maintained one exists on npm. Pure: tiles in, archive bytes out, no file access.
 *
 * Layout: header | root directory | metadata | leaf directories | tile data. The root ends
 * inside the first 16 KiB, so a reader gets header and root with its first request.
 * Tiles are gzipped as they are added and identical contents are stored once, so a caller
 * can generate tiles one by one without holding them all uncompressed.
 */

export const HEADER_BYTES = 127;
/** Header plus root must fit in the reader's first 16 KiB request. */
const ROOT_MAX = 16384 - HEADER_BYTES;
const COMPRESSION_GZIP = 2;
export const TILE_TYPE_MVT = 1;

export interface TileInput {
	z: number;
	x: number;
	y: number;
	/** Uncompressed tile bytes (e.g. MVT); the writer gzips them. */
	data: Uint8Array;
}

export interface ArchiveOptions {
	/** JSON metadata, e.g. { name, vector_layers }. */
	metadata: Record<string, unknown>;
	/** West, south, east, north in degrees. */
	bounds: [number, number, number, number];
	/** Longitude, latitude, zoom; default: middle of the bounds at the lowest zoom. */
	center?: [number, number, number];
	/** Lowest and highest zoom the archive covers; default: those of the tiles added. */
	minZoom?: number;
	maxZoom?: number;
	tileType?: number;
}

export interface Entry {
	tileId: number;
	offset: number;
	length: number;
	/** Consecutive tile ids sharing this content; 0 marks a pointer to a leaf directory. */
	runLength: number;
}

/** Start of each zoom level in the tile-id space: (4^z - 1) / 3. */
const ZOOM_START = Array.from({ length: 27 }, (_, z) => (4 ** z - 1) / 3);

/** The tile's position on the Hilbert curve over all zoom levels, as the spec defines it. */
export function zxyToTileId(z: number, x: number, y: number): number {
	if (!Number.isInteger(z) || z < 0 || z > 26) throw new Error(`zoom ${z} buiten 0..26`);
	const n = 2 ** z;
	if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= n || y >= n) {
		throw new Error(`tegel ${z}/${x}/${y} valt buiten het zoomniveau`);
	}
	let d = 0;
	let [px, py] = [x, y];
	for (let s = n / 2; s >= 1; s /= 2) {
		const rx = (px & s) > 0 ? 1 : 0;
		const ry = (py & s) > 0 ? 1 : 0;
		d += s * s * ((3 * rx) ^ ry);
		// Rotate the quadrant so the curve stays continuous.
		if (ry === 0) {
			if (rx === 1) {
				px = s - 1 - (px & (s - 1));
				py = s - 1 - (py & (s - 1));
			}
			[px, py] = [py, px];
		}
	}
	return ZOOM_START[z] + d;
}

function writeVarint(out: number[], value: number): void {
	// Tile ids pass 2^32 from zoom 16, so no bit operators here.
	let v = value;
	while (v >= 0x80) {
		out.push((v % 0x80) | 0x80);
		v = Math.floor(v / 0x80);
	}
	out.push(v);
}

/** Column-wise varints, as the spec lays a directory out, then gzipped. */
export function serializeDirectory(entries: Entry[]): Uint8Array {
	const out: number[] = [];
	writeVarint(out, entries.length);
	let lastId = 0;
	for (const e of entries) {
		writeVarint(out, e.tileId - lastId);
		lastId = e.tileId;
	}
	for (const e of entries) writeVarint(out, e.runLength);
	for (const e of entries) writeVarint(out, e.length);
	for (let i = 0; i < entries.length; i++) {
		const e = entries[i];
		const prev = entries[i - 1];
		// 0 means "right after the previous entry": clustered archives then store almost no offsets.
		writeVarint(out, prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
	}
	return gzipSync(Uint8Array.from(out));
}

function leavesOf(entries: Entry[], leafSize: number): { root: Uint8Array; leaves: Uint8Array[] } {
	const pointers: Entry[] = [];
	const leaves: Uint8Array[] = [];
	let offset = 0;
	for (let i = 0; i < entries.length; i += leafSize) {
		const leaf = serializeDirectory(entries.slice(i, i + leafSize));
		pointers.push({ tileId: entries[i].tileId, offset, length: leaf.length, runLength: 0 });
		leaves.push(leaf);
		offset += leaf.length;
	}
	return { root: serializeDirectory(pointers), leaves };
}

/**
 * The whole directory in the root if it fits; otherwise one level of leaves, growing them
 * until the root of leaf pointers fits (as go-pmtiles does).
 */
export function buildDirectories(entries: Entry[]): { root: Uint8Array; leaves: Uint8Array[] } {
	if (entries.length < 16384) {
		const root = serializeDirectory(entries);
		if (root.length <= ROOT_MAX) return { root, leaves: [] };
	}
	for (let leafSize = Math.max(4096, Math.ceil(entries.length / 3500)); ; leafSize = Math.ceil(leafSize * 1.2)) {
		const built = leavesOf(entries, leafSize);
		if (built.root.length <= ROOT_MAX) return built;
	}
}

/**
 * Collects tiles in any order; `finish` lays them out clustered (tile data in tile-id order)
 * and returns the archive as chunks to write one after another.
 */
export class PmtilesWriter {
	private readonly contents: Uint8Array[] = [];
	private readonly byHash = new Map<string, number>();
	private readonly ids: number[] = [];
	private readonly contentOf: number[] = [];
	private minZoom = Infinity;
	private maxZoom = -Infinity;

	get tileCount(): number {
		return this.ids.length;
	}

	add(z: number, x: number, y: number, data: Uint8Array): void {
		const id = zxyToTileId(z, x, y);
		const hash = createHash('sha1').update(data).digest('base64');
		let content = this.byHash.get(hash);
		if (content === undefined) {
			content = this.contents.push(gzipSync(data)) - 1;
			this.byHash.set(hash, content);
		}
		this.ids.push(id);
		this.contentOf.push(content);
		if (z < this.minZoom) this.minZoom = z;
		if (z > this.maxZoom) this.maxZoom = z;
	}

	finish(opts: ArchiveOptions): Uint8Array[] {
		const order = this.ids.map((_, i) => i).sort((a, b) => this.ids[a] - this.ids[b]);
		// Clustered: each content is stored where its first tile id puts it.
		const offsetOf = new Map<number, number>();
		const data: Uint8Array[] = [];
		let dataLength = 0;
		const entries: Entry[] = [];
		let lastId = -1;
		for (const i of order) {
			const id = this.ids[i];
			if (id === lastId) throw new Error(`tegel-id ${id} is twee keer toegevoegd`);
			lastId = id;
			const content = this.contentOf[i];
			let offset = offsetOf.get(content);
			if (offset === undefined) {
				offset = dataLength;
				offsetOf.set(content, offset);
				data.push(this.contents[content]);
				dataLength += this.contents[content].length;
			}
			const prev = entries[entries.length - 1];
			// Identical neighbours on the curve (e.g. tiles wholly inside one area) become one run.
			if (prev && prev.offset === offset && prev.tileId + prev.runLength === id) prev.runLength++;
			else entries.push({ tileId: id, offset, length: this.contents[content].length, runLength: 1 });
		}

		const { root, leaves } = buildDirectories(entries);
		const leavesLength = leaves.reduce((n, l) => n + l.length, 0);
		const metadata = gzipSync(Buffer.from(JSON.stringify(opts.metadata)));
		const minZoom = opts.minZoom ?? (this.ids.length ? this.minZoom : 0);
		const maxZoom = opts.maxZoom ?? (this.ids.length ? this.maxZoom : 0);
		const [w, s, e, n] = opts.bounds;
		const center = opts.center ?? [(w + e) / 2, (s + n) / 2, minZoom];

		const rootOffset = HEADER_BYTES;
		const metadataOffset = rootOffset + root.length;
		const leafOffset = metadataOffset + metadata.length;
		const dataOffset = leafOffset + leavesLength;

		const header = new DataView(new ArrayBuffer(HEADER_BYTES));
		for (let i = 0; i < 7; i++) header.setUint8(i, 'PMTiles'.charCodeAt(i));
		header.setUint8(7, 3);
		const u64 = (pos: number, v: number) => header.setBigUint64(pos, BigInt(v), true);
		u64(8, rootOffset);
		u64(16, root.length);
		u64(24, metadataOffset);
		u64(32, metadata.length);
		u64(40, leafOffset);
		u64(48, leavesLength);
		u64(56, dataOffset);
		u64(64, dataLength);
		u64(72, this.ids.length);
		u64(80, entries.length);
		u64(88, data.length);
		header.setUint8(96, 1); // clustered
		header.setUint8(97, COMPRESSION_GZIP); // directories and metadata
		header.setUint8(98, COMPRESSION_GZIP); // tiles
		header.setUint8(99, opts.tileType ?? TILE_TYPE_MVT);
		header.setUint8(100, minZoom);
		header.setUint8(101, maxZoom);
		const e7 = (pos: number, deg: number) => header.setInt32(pos, Math.round(deg * 1e7), true);
		e7(102, w);
		e7(106, s);
		e7(110, e);
		e7(114, n);
		header.setUint8(118, center[2]);
		e7(119, center[0]);
		e7(123, center[1]);

		return [new Uint8Array(header.buffer), root, metadata, ...leaves, ...data];
	}
}

/** The whole archive in one buffer: for small archives and tests. */
export function writeArchive(tiles: Iterable<TileInput>, opts: ArchiveOptions): Uint8Array {
	const writer = new PmtilesWriter();
	for (const t of tiles) writer.add(t.z, t.x, t.y, t.data);
	const chunks = writer.finish(opts);
	// A plain Uint8Array of its own: a Buffer's slice() would share memory with its pool.
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}
