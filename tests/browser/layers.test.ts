import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { ROOT } from '../helpers/server.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));

describe(`the four layers on the map (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let server: Portal['server'];

	beforeAll(async () => {
		portal = await openPortal(
			async (store, env) => {
				await importAreasFromGeoJSON(store.db, read('wijk.geojson'), { level: 'wijk' });
				await importAreasFromGeoJSON(store.db, read('buurt.geojson'), {
					level: 'buurt',
					parentLevel: 'wijk'
				});
				await writeUtrechtFixtures(store.db, { meldingen: 1500 });
				await buildAreaTiles(store.db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
			},
			{ width: 1400, height: 900 }
		);
		({ page, server } = portal);
	});

	afterAll(() => portal?.close());

	/** The map's item layers after their last load, and the API's count for the very same request. */
	async function mapAndApi(expected: (url: string) => boolean = () => true) {
		const map = page.locator('[data-map-ready="true"]');
		await expect
			.poll(
				async () => {
					const url = (await map.getAttribute('data-items-url')) ?? '';
					return url.startsWith('/api/items') && expected(url);
				},
				{ timeout: 30_000 }
			)
			.toBe(true);
		await page.waitForLoadState('networkidle');
		const url = (await map.getAttribute('data-items-url'))!;
		const onMap = Number(await map.getAttribute('data-items-count'));
		const api = (await (await fetch(server.url + url + '&count=true')).json()) as {
			numberMatched: number;
		};
		const summary = await page.locator('#items-title ~ .summary').innerText();
		return { url, onMap, api: api.numberMatched, listed: Number(summary.match(/\d+/)![0]) };
	}

	it('filters by two themes: list, map and API agree, and the URL reproduces the view', async () => {
		await page.goto(server.url + '/');
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		await page.getByLabel('Groen & water').check();
		await page.waitForURL(/theme=groen-water/);
		await page.getByLabel('Verkeer & parkeren').check();
		await page.waitForURL(/theme=verkeer/);
		const first = await mapAndApi(
			(u) => u.includes('theme=groen-water') && u.includes('theme=verkeer')
		);
		expect(first.url).toMatch(/theme=groen-water/);
		expect(first.url).toMatch(/theme=verkeer/);
		expect(first.api).toBeGreaterThan(0);
		expect(first.onMap).toBe(first.api);
		expect(first.listed).toBe(first.api);
		mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
		await page.screenshot({
			path: path.join(ROOT, 'test-results', `layers-two-themes-${storeName}.png`)
		});

		const filtered = page.url();
		await page.reload();
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		expect(await page.getByLabel('Groen & water').isChecked()).toBe(true);
		expect(await page.getByLabel('Verkeer & parkeren').isChecked()).toBe(true);
		expect(page.url()).toBe(filtered);
		const again = await mapAndApi((u) => u.includes('theme=verkeer'));
		expect(again.api).toBe(first.api);

		await page.goBack();
		await page.waitForURL((u) => !u.search.includes('theme=verkeer'));
		await expect.poll(() => page.getByLabel('Verkeer & parkeren').isChecked()).toBe(false);
		expect(await page.getByLabel('Groen & water').isChecked()).toBe(true);
	});

	it('toggles a layer off and on', async () => {
		await page.goto(server.url + '/');
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		const all = await mapAndApi((u) => !u.includes('layer='));
		await page.getByRole('checkbox', { name: /Meldingen/ }).uncheck();
		await page.waitForURL(/layer=/);
		const without = await mapAndApi((u) => u.includes('layer='));
		expect(without.url).not.toMatch(/layer=meldingen/);
		expect(without.onMap).toBe(without.api);
		expect(without.onMap).toBeLessThan(all.onMap);
		await page.getByRole('checkbox', { name: /Meldingen/ }).check();
		await page.waitForURL((u) => !u.search.includes('layer='));
		expect((await mapAndApi((u) => !u.includes('layer='))).onMap).toBe(all.onMap);
	});

	it('opens an item from the list with the keyboard only', async () => {
		await page.goto(server.url + '/?layer=projecten');
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		const firstLink = page.locator('.item-list a').first();
		const title = await firstLink.locator('.title').innerText();
		// Tab from the search field through the filter buttons into the list.
		await page.locator('#f-q').focus();
		for (
			let i = 0;
			i < 10 && !(await firstLink.evaluate((el) => el === document.activeElement));
			i++
		)
			await page.keyboard.press('Tab');
		expect(await firstLink.evaluate((el) => el === document.activeElement)).toBe(true);
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/item\/\d+$/);
		await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
	});

	it('shows an area page with its counts per layer, equal to the API, linking to the filtered map', async () => {
		await page.goto(server.url + '/wijk/06');
		const table = page.getByRole('table', { name: 'Per laag' });
		const cell = table.getByRole('row', { name: /Meldingen/ }).getByRole('link');
		const shown = Number(await cell.innerText());
		const api = (await (
			await fetch(`${server.url}/api/items?area=06&layer=meldingen&count=true&limit=1`)
		).json()) as { numberMatched: number };
		expect(shown).toBe(api.numberMatched);
		expect(shown).toBeGreaterThan(0);
		await cell.click();
		await page.waitForURL(/\?area=06&layer=meldingen/);
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		await expect.poll(() => page.locator('#f-area').inputValue()).toBe('06');
	});
});
