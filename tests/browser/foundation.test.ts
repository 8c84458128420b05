import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { ROOT, runScript } from '../helpers/server.ts';

const wijkFile = JSON.parse(readFileSync(path.join(SHARED_UTRECHT, 'wijk.geojson'), 'utf8'));
const WIJKEN: string[] = wijkFile.features.map(
	(f: { properties: { NAAM: string } }) => f.properties.NAAM
);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe(`the portal on the Utrecht areas (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let server: Portal['server'];

	beforeAll(async () => {
		portal = await openPortal(async (_store, env, release) => {
			await release();
			for (const args of [
				['areas', '--level', 'wijk', path.join(SHARED_UTRECHT, 'wijk.geojson')],
				[
					'areas',
					'--level',
					'buurt',
					'--parent',
					'wijk',
					path.join(SHARED_UTRECHT, 'buurt.geojson')
				]
			]) {
				const res = await runScript('scripts/import.ts', args, env);
				expect(res.code, res.stderr).toBe(0);
			}
		});
		({ page, server } = portal);
	});

	afterAll(() => portal?.close());

	it('shows the 10 wijk names and draws the map', async () => {
		await page.goto(server.url + '/');
		const list = page.getByRole('navigation', { name: /wijken/i });
		expect(WIJKEN).toHaveLength(10);
		for (const name of WIJKEN) {
			await expect
				.poll(() => list.getByRole('link', { name: new RegExp(`^${escape(name)}$`, 'i') }).count())
				.toBe(1);
		}
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		// The area tiles were fetched through the pmtiles protocol, and rendered features exist.
		const rendered = await page.evaluate(() => {
			const map = (
				window as unknown as {
					__wijkkaartMap: { queryRenderedFeatures(): { sourceLayer?: string }[] };
				}
			).__wijkkaartMap;
			return map.queryRenderedFeatures().filter((f) => f.sourceLayer === 'wijk').length;
		});
		expect(rendered).toBeGreaterThan(0);
		mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
		await page.screenshot({ path: path.join(ROOT, 'test-results', `home-${storeName}.png`) });
	});

	it('opens a wijk from the list and shows its buurten', async () => {
		await page.goto(server.url + '/');
		const link = page
			.getByRole('navigation', { name: /wijken/i })
			.getByRole('link', { name: /^Binnenstad$/i });
		await link.click();
		await page.waitForURL(/\/wijk\/06$/);
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).innerText())
			.toMatch(/binnenstad/i);
		for (const name of ['Nieuwegracht-oost', 'Wijk C', 'Bleekstraat e.o.']) {
			await expect
				.poll(() =>
					page
						.getByRole('main')
						.getByRole('link', { name: new RegExp(`^${escape(name)}$`, 'i') })
						.count()
				)
				.toBeGreaterThan(0);
		}
	});
});
