import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HEADER_BYTES } from './pmtiles-writer.ts';

/**
 * A cheap check that a file is a whole, readable PMTiles v3 archive, without reading the
 * tiles: magic, header offsets against the file size, and the root directory parsing.
 * Returns what is wrong, in Dutch, or null when the archive looks sound.
 */
export function archiveProblem(file: string): string | null {
	let fd: number;
	try {
		fd = openSync(file, 'r');
	} catch {
		return 'ontbreekt';
	}
	try {
		const size = fstatSync(fd).size;
		if (size < HEADER_BYTES) return `is te kort (${size} bytes)`;
		const head = Buffer.alloc(Math.min(size, 16384));
		readSync(fd, head, 0, head.length, 0);
		return headProblem(head, size);
	} finally {
		closeSync(fd);
	}
}

/** The same check on the first bytes of an archive of `size` bytes. */
export function headProblem(head: Buffer, size: number): string | null {
	if (head.toString('latin1', 0, 7) !== 'PMTiles' || head[7] !== 3) return 'is geen PMTiles v3-archief';
	const u64 = (pos: number) => Number(head.readBigUInt64LE(pos));
	const [rootOffset, rootLength] = [u64(8), u64(16)];
	const [metaOffset, metaLength] = [u64(24), u64(32)];
	const [leafOffset, leafLength] = [u64(40), u64(48)];
	const [dataOffset, dataLength] = [u64(56), u64(64)];
	const end = dataOffset + dataLength;
	if (end !== size) return `is afgekapt of beschadigd (${size} van ${end} bytes)`;
	const sections = [
		[rootOffset, rootLength],
		[metaOffset, metaLength],
		[leafOffset, leafLength]
	];
	if (rootOffset + rootLength > head.length || sections.some(([o, l]) => o < HEADER_BYTES || o + l > size)) {
		return 'heeft een onmogelijke indeling';
	}
	if (head[97] !== 2) return 'gebruikt een compressie die Wijkkaart niet schrijft';
	try {
		const entries = readDirectory(gunzipSync(head.subarray(rootOffset, rootOffset + rootLength)));
		const limit = (e: { runLength: number }) => (e.runLength === 0 ? leafLength : dataLength);
		if (entries.some((e) => e.offset + e.length > limit(e))) return 'heeft een index die buiten het bestand wijst';
	} catch {
		return 'heeft een onleesbare index';
	}
	return null;
}

/** Parses a decompressed directory; throws on bytes that are not one. */
export function readDirectory(bytes: Uint8Array): { tileId: number; runLength: number; length: number; offset: number }[] {
	let pos = 0;
	const varint = () => {
		let v = 0;
		for (let mul = 1; ; mul *= 0x80) {
			if (pos >= bytes.length || mul > 2 ** 63) throw new Error('directory ends inside a number');
			const b = bytes[pos++];
			v += (b & 0x7f) * mul;
			if (b < 0x80) return v;
		}
	};
	const n = varint();
	// Each entry takes at least four bytes.
	if (n * 4 > bytes.length) throw new Error('directory shorter than its entry count');
	const entries = Array.from({ length: n }, () => ({ tileId: 0, runLength: 0, length: 0, offset: 0 }));
	let id = 0;
	for (const e of entries) e.tileId = id += varint();
	for (const e of entries) e.runLength = varint();
	for (const e of entries) e.length = varint();
	entries.forEach((e, i) => {
		const v = varint();
		if (v === 0 && i === 0) throw new Error('first entry has no offset');
		e.offset = v === 0 ? entries[i - 1].offset + entries[i - 1].length : v - 1;
	});
	if (pos !== bytes.length) throw new Error('bytes after the directory');
	return entries;
}
