import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ENTRY_OVERHEAD_BYTES, TileCache } from '../../src/lib/server/tiles/item-tiles.ts';

/**
 * The item-tile cache stays within its byte bound whatever keys it is fed: measured
 * independently of its own count, as the entries it holds times the least each can cost.
 */
describe('item-tile cache bound', () => {
	it('unique query strings with empty tiles do not grow it past its bound', () => {
		const max = 64 * 1024;
		const cache = new TileCache(max);
		for (let i = 0; i < 20_000; i++)
			cache.set(`"items-1"0/0/0?junk=${i}-${'x'.repeat(200)}`, new Uint8Array(0));
		expect(cache.size * (ENTRY_OVERHEAD_BYTES + 400)).toBeLessThanOrEqual(max);
		expect(cache.size).toBeGreaterThan(0);
	});

	it('holds at most its bound for any mix of keys and tile sizes, and keeps the latest', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.string({ maxLength: 300 }), fc.integer({ min: 0, max: 5000 })), {
					maxLength: 200
				}),
				(entries) => {
					const max = 20_000;
					const cache = new TileCache(max);
					let held = new Map<string, number>();
					for (const [k, n] of entries) {
						cache.set(k, new Uint8Array(n));
						held.set(k, n);
					}
					held = new Map([...held].filter(([k]) => cache.get(k) !== undefined));
					const used = [...held].reduce(
						(sum, [k, n]) => sum + n + k.length * 2 + ENTRY_OVERHEAD_BYTES,
						0
					);
					expect(used).toBeLessThanOrEqual(max);
					const last = entries.at(-1);
					if (last && last[1] + last[0].length * 2 + ENTRY_OVERHEAD_BYTES <= max)
						expect(cache.get(last[0])?.byteLength).toBe(last[1]);
				}
			),
			{ numRuns: 300 }
		);
	});
});
