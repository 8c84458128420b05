import { readFileSync } from 'node:fs';
import { PMTiles, type Source } from 'pmtiles';

/** The official reader over bytes in memory. */
export function readerFor(bytes: Uint8Array, key = 'archive'): PMTiles {
	const source: Source = {
		getKey: () => key,
		getBytes: async (offset, length) => ({
			data: bytes.slice(offset, offset + length).buffer as ArrayBuffer
		})
	};
	return new PMTiles(source);
}

export const readerForFile = (file: string) => readerFor(new Uint8Array(readFileSync(file)), file);
