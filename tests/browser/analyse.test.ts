import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { ROOT } from '../helpers/server.ts';
import { seedTown } from '../integration/analyse-fixtures.ts';

describe(`the analysis page (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let server: Portal['server'];

	beforeAll(async () => {
		portal = await openPortal(async (store) => void (await seedTown(store.db)), {
			width: 1400,
			height: 1000
		});
		({ page, server } = portal);
		page.on('pageerror', (e) => errors.push(e.message));
	});
	const errors: string[] = [];
	afterAll(() => portal?.close());

	/** Table rows as [code, class] once the table shows the given number of areas. */
	async function tableClasses(): Promise<[string, string][]> {
		const rows = page.locator('#choropleth-table tbody tr');
		await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
		return rows.evaluateAll((trs) =>
			trs.map(
				(tr) =>
					[
						tr.querySelector('th')!.textContent!.trim(),
						tr.querySelectorAll('td')[tr.querySelectorAll('td').length - 2].textContent!.trim()
					] as [string, string]
			)
		);
	}

	it('changes measure and theme; legend and table agree; CSV equals the API; map and legend export as PNG', async () => {
		await page.goto(server.url + '/analyse');
		await page.waitForSelector('.canvas[data-ready="true"]', { timeout: 60_000 }).catch((e) => {
			throw new Error(`${e.message}\n${errors.join('\n')}`);
		});
		await page.getByLabel('Maat', { exact: true }).selectOption('per1000');
		await page.getByLabel('Thema', { exact: true }).selectOption('openbare-ruimte');
		await page.waitForURL(/measure=per1000/);
		await page.waitForURL(/theme=openbare-ruimte/);
		const shown = page.locator('section[aria-labelledby="map-h"]');
		await expect
			.poll(async () => (await shown.getAttribute('data-shown')) ?? '', { timeout: 30_000 })
			.toMatch(/(?=.*theme=openbare-ruimte)(?=.*measure=per1000)/);
		// Per 1,000 greys out C and D; wait until the answer for the new choice is drawn.
		await expect
			.poll(() => page.locator('#legend li', { hasText: 'Grijs' }).count(), { timeout: 30_000 })
			.toBe(1);

		// Openbare ruimte (afval): A 5 per 2000 = 2.5, B 5 per 5000 = 1; C and D greyed out.
		const classes = await tableClasses();
		const legend = await page.locator('#legend li').allInnerTexts();
		const inClass = (k: number) => classes.filter(([, c]) => c === String(k)).length;
		const classLines = legend.filter((l) => /tot en met/.test(l));
		expect(classLines.length).toBe(2);
		classLines.forEach((l, k) =>
			expect(Number(/\((\d+) gebieden\)/.exec(l)![1])).toBe(inClass(k + 1))
		);
		expect(legend.find((l) => l.startsWith('Grijs'))).toMatch(/\(2 gebieden\)/);
		expect(classes.filter(([, c]) => c === '–').map(([code]) => code)).toEqual(['C', 'D']);
		const rowA = await page
			.locator('#choropleth-table tbody tr', { hasText: 'Wijk A' })
			.innerText();
		expect(rowA).toMatch(/2,5/);
		await expect
			.poll(() => page.locator('#choropleth-table tbody tr', { hasText: 'Wijk C' }).innerText())
			.toMatch(/minder dan 100 inwoners/);

		// Sorting by count descending puts A first.
		await page
			.locator('#choropleth-table')
			.getByRole('button', { name: 'Sorteer op Aantal' })
			.click();
		await page
			.locator('#choropleth-table')
			.getByRole('button', { name: 'Sorteer op Aantal' })
			.click();
		expect(await page.locator('#choropleth-table tbody tr th').first().innerText()).toBe('A');

		const csvLink = page.locator('#choropleth-table caption a');
		const href = (await csvLink.getAttribute('href'))!;
		expect(href).toMatch(/measure=per1000/);
		const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
		const saved = readFileSync((await download.path())!);
		// Byte for byte, BOM included (text() would drop it).
		const api = Buffer.from(await (await fetch(server.url + href)).arrayBuffer());
		expect(saved.equals(api)).toBe(true);
		expect(saved.toString('utf8')).toMatch(/\r\n"A","Wijk A",2000,5,2\.5,/);

		mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
		await page
			.locator('section[aria-labelledby="map-h"]')
			.screenshot({ path: path.join(ROOT, 'test-results', `analyse-choropleth-${storeName}.png`) });

		const [png] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Kaart als PNG' }).click()
		]);
		const img = PNG.sync.read(readFileSync((await png.path())!));
		const canvas = await page
			.locator('.canvas canvas')
			.evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
		expect(img.width).toBe(canvas.w);
		// The legend is painted below the map: title, two classes and the grey entry.
		expect(img.height).toBeGreaterThan(canvas.h + 4 * 20);
		// Somewhere in the map part the darkest class colour of wijk A is drawn.
		let dark = 0;
		for (let i = 0; i < canvas.w * canvas.h * 4; i += 4)
			if (img.data[i + 2] - img.data[i] > 80 && img.data[i] < 90) dark++;
		expect(dark).toBeGreaterThan(100);
	});

	it('lists the boundary-crossing cluster and the koppelkansen with links', async () => {
		await page.goto(server.url + '/analyse');
		await expect.poll(() => page.locator('.cross li').count(), { timeout: 30_000 }).toBe(1);
		expect(await page.locator('.cross li').innerText()).toMatch(/Wijk A, Wijk B/);
		const koppel = page.locator('#koppel-table tbody tr');
		await expect.poll(() => koppel.count(), { timeout: 30_000 }).toBe(2);
		const link = page.locator('#koppel-table a', { hasText: 'P2 Fietsstraat' }).first();
		expect(await link.getAttribute('href')).toMatch(/^\/item\/\d+$/);
		// Each piece of work says its wijk; the map names the wijken and keys its symbols.
		expect(await link.innerText()).toBe('P2 Fietsstraat (Wijk A) — Mobiliteit');
		const names = () =>
			page.locator('.map .area-name').evaluateAll((els) =>
				els
					.filter((e) => getComputedStyle(e).visibility !== 'hidden')
					.map((e) => e.textContent)
					.sort()
			);
		await expect.poll(names, { timeout: 30_000 }).toEqual(['Wijk A', 'Wijk B', 'Wijk C', 'Wijk D']);
		expect(await page.locator('#legend .map-key li').allInnerTexts()).toEqual([
			'Cluster (hotspot) van items',
			'Cluster over een wijkgrens',
			'Koppelkans: project, initiatief of actie (punt)',
			'Koppelkans: project als lijn of vlak',
			'Koppelkans: werk van verschillende eigenaren dicht bij elkaar',
			'Geen waarde (bijv. geen inwonertal bekend)'
		]);
		// Follow-through picks its own layers whatever the map shows: I1's budget in wijk A.
		await expect
			.poll(() => page.locator('#budget-table tbody tr').innerText(), { timeout: 30_000 })
			.toMatch(/Wijk A\s+1\s+€\s?1\.000\s+€\s?800\s+80%/);
		await page.screenshot({
			path: path.join(ROOT, 'test-results', `analyse-page-${storeName}.png`),
			fullPage: true
		});
		expect(errors).toEqual([]);
	});
});
