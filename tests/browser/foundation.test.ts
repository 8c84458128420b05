import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freshStore, SHARED_UTRECHT, storeName, type TestStore } from '../helpers/db.ts';
import { launchBrowser, ROOT, runScript, startServer, type RunningServer } from '../helpers/server.ts';

const wijkFile = JSON.parse(readFileSync(path.join(SHARED_UTRECHT, 'wijk.geojson'), 'utf8'));
const WIJKEN: string[] = wijkFile.features.map((f: { properties: { NAAM: string } }) => f.properties.NAAM);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe(`the portal on the Utrecht areas (${storeName})`, () => {
	let store: TestStore;
	let server: RunningServer;
	let browser: Browser;
	let page: Page;
	let tilesDir: string;

	beforeAll(async () => {
		store = await freshStore();
		tilesDir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-tiles-'));
		const env = { ...store.env, WIJKKAART_TILES_DIR: tilesDir };
		// PGlite admits one process per data directory: hand the store to the CLI, then the server.
		if (store.db.kind === 'pglite') await store.db.close();
		for (const args of [
			['areas', '--level', 'wijk', path.join(SHARED_UTRECHT, 'wijk.geojson')],
			['areas', '--level', 'buurt', '--parent', 'wijk', path.join(SHARED_UTRECHT, 'buurt.geojson')]
		]) {
			const res = await runScript('scripts/import.ts', args, env);
			expect(res.code, res.stderr).toBe(0);
		}
		server = await startServer(env);
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		if (store.db.kind === 'pglite') rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		else await store.dispose();
		rmSync(tilesDir, { recursive: true, force: true });
	});

	it('shows the 10 wijk names and draws the map', async () => {
		await page.goto(server.url + '/');
		const list = page.getByRole('navigation', { name: /wijken/i });
		expect(WIJKEN).toHaveLength(10);
		for (const name of WIJKEN) {
			await expect.poll(() => list.getByRole('link', { name: new RegExp(`^${escape(name)}$`, 'i') }).count()).toBe(1);
		}
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		// The area tiles were fetched through the pmtiles protocol, and rendered features exist.
		const rendered = await page.evaluate(() => {
			const map = (window as unknown as { __wijkkaartMap: { queryRenderedFeatures(): { sourceLayer?: string }[] } })
				.__wijkkaartMap;
			return map.queryRenderedFeatures().filter((f) => f.sourceLayer === 'wijk').length;
		});
		expect(rendered).toBeGreaterThan(0);
		mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
		await page.screenshot({ path: path.join(ROOT, 'test-results', `home-${storeName}.png`) });
	});

	it('opens a wijk from the list and shows its buurten', async () => {
		await page.goto(server.url + '/');
		const link = page.getByRole('navigation', { name: /wijken/i }).getByRole('link', { name: /^Binnenstad$/i });
		await link.click();
		await page.waitForURL(/\/wijk\/06$/);
		await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toMatch(/binnenstad/i);
		for (const name of ['Nieuwegracht-oost', 'Wijk C', 'Bleekstraat e.o.']) {
			await expect.poll(() => page.getByRole('main').getByRole('link', { name: new RegExp(`^${escape(name)}$`, 'i') }).count()).toBeGreaterThan(0);
		}
	});
});
