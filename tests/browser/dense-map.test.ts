import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));

interface Rendered {
	layer: string;
	count: number;
	title?: string;
}

// More meldingen in view than one /api/items request returns: the map switches to item tiles.
describe(`a dense map draws item tiles (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let server: Portal['server'];
	const tileResponses: { url: string; status: number; encoding: string | null }[] = [];

	beforeAll(async () => {
		portal = await openPortal(async (store, env) => {
			await importAreasFromGeoJSON(store.db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(store.db, read('buurt.geojson'), { level: 'buurt', parentLevel: 'wijk' });
			await writeUtrechtFixtures(store.db, { meldingen: 8000 });
			await buildAreaTiles(store.db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
		});
		({ page, server } = portal);
		page.on('response', (r) => {
			if (r.url().includes('/tiles/items/')) tileResponses.push({ url: r.url(), status: r.status(), encoding: r.headers()['content-encoding'] ?? null });
		});
	});
	afterAll(() => portal?.close());

	const rendered = () =>
		page.evaluate(() => {
			const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap;
			return map
				.queryRenderedFeatures({ layers: ['items-tile-cells', 'items-tile-points'] })
				.map((f) => ({ layer: f.layer.id, count: Number(f.properties.count), title: f.properties.title as string | undefined }));
		}) as Promise<Rendered[]>;
	const idle = () =>
		page.evaluate(
			() =>
				new Promise<void>((resolve) => {
					const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap;
					if (map.loaded() && !map.isMoving()) map.once('idle', () => resolve());
					else map.once('idle', () => resolve());
					map.triggerRepaint();
				})
		);

	it('counts per cell at city scale, fetched as gzipped tiles, and follows the theme filter', async () => {
		await page.goto(server.url + '/');
		const map = page.locator('[data-map-ready="true"]');
		await map.waitFor({ timeout: 60_000 });
		await expect.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 }).toBe('tiles');
		await idle();
		await expect.poll(async () => (await rendered()).filter((f) => f.layer === 'items-tile-cells').length, { timeout: 30_000 }).toBeGreaterThan(0);
		const cells = await rendered();
		expect(cells.reduce((n, f) => n + f.count, 0)).toBeGreaterThan(5000);
		expect(tileResponses.length).toBeGreaterThan(0);
		expect(tileResponses.every((r) => r.status === 200 || r.status === 204 || r.status === 304)).toBe(true);
		expect(tileResponses.some((r) => r.encoding === 'gzip')).toBe(true);

		// The filter goes to the tiles too; if it leaves few enough items, every one comes as GeoJSON.
		const before = tileResponses.length;
		const view = await map.getAttribute('data-items-url');
		const bbox = new URL(view!, server.url).searchParams.get('bbox');
		const matched = (await (await fetch(`${server.url}/api/items?theme=openbare-ruimte&bbox=${bbox}&count=true&limit=1`)).json()).numberMatched as number;
		await page.getByLabel('Openbare ruimte & beheer').check();
		await page.waitForURL(/theme=openbare-ruimte/);
		if (matched > 5000) {
			await expect.poll(() => tileResponses.slice(before).some((r) => r.url.includes('theme=openbare-ruimte')), { timeout: 30_000 }).toBe(true);
		} else {
			await expect.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 }).toBe('geojson');
			await expect.poll(async () => (await map.getAttribute('data-items-url'))?.includes('theme=openbare-ruimte'), { timeout: 30_000 }).toBe(true);
			await expect.poll(async () => Number(await map.getAttribute('data-items-count')), { timeout: 30_000 }).toBeGreaterThan(0);
			expect((await rendered()).length).toBe(0);
		}
		expect(matched).toBeGreaterThan(0);
	});

	it('shows single items with their titles at street level', async () => {
		const [lon, lat] = await page.evaluate(async () => {
			const res = await fetch('/api/items?layer=meldingen&limit=1');
			return (await res.json()).features[0].geometry.coordinates as [number, number];
		});
		await page.evaluate(([lon, lat]) => {
			const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap;
			map.jumpTo({ center: [lon, lat], zoom: 16 });
		}, [lon, lat]);
		await idle();
		const map = page.locator('[data-map-ready="true"]');
		// Few enough items at street level: back to GeoJSON, or tiles with titles; either way every item is itself.
		await expect.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 }).toBe('geojson');
		expect(Number(await map.getAttribute('data-items-count'))).toBeGreaterThan(0);
	});
});
