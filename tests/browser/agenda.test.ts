import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import bbox from '@turf/bbox';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Agenda } from '../../src/lib/domain/agenda.ts';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { ROOT } from '../helpers/server.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));
const shots = path.join(ROOT, 'test-results');

/** Reads the QR code in a screenshot of the element. */
async function decodeQr(page: Page, selector: string): Promise<string | null> {
	const png = PNG.sync.read(await page.locator(selector).screenshot());
	return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/**
 * What of the slide side is cut off: every box that hides its overflow and holds more than it
 * shows, and every text outside the window.
 */
function clipped(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const out: string[] = [];
		const boxes = [...document.querySelectorAll('.deck .text, .deck .foot')];
		for (const el of boxes.flatMap((b) => [b, ...b.querySelectorAll('*')])) {
			const st = getComputedStyle(el);
			const hides = (v: string) => v === 'hidden' || v === 'clip';
			const name = `${el.tagName.toLowerCase()}.${el.className}`;
			if (hides(st.overflowY) && el.scrollHeight > el.clientHeight + 1)
				out.push(`${name}: ${el.scrollHeight} > ${el.clientHeight} high`);
			if (hides(st.overflowX) && el.scrollWidth > el.clientWidth + 1)
				out.push(`${name}: ${el.scrollWidth} > ${el.clientWidth} wide`);
		}
		for (const box of boxes) {
			const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				if (!n.textContent!.trim()) continue;
				const range = document.createRange();
				range.selectNodeContents(n);
				for (const r of range.getClientRects())
					if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1 || r.top < -1 || r.left < -1)
						out.push(`outside the window: ${n.textContent!.trim().slice(0, 40)}`);
			}
		}
		// The text column and the QR code over the map do not cover each other.
		const [text, foot] = ['.deck .text', '.deck .foot'].map((q) =>
			document.querySelector(q)!.getBoundingClientRect()
		);
		if (innerWidth > 760 && foot.left < text.right - 1) out.push('the QR code covers the text');
		return out;
	});
}

/** Steps through every slide on a laptop's screen: every slide fits there as well. */
async function fitsOnLaptop(page: Page, total: number, tag: string) {
	const size = page.viewportSize()!;
	await page.setViewportSize({ width: 1440, height: 900 });
	try {
		await page.keyboard.press('Home');
		const cut: string[] = [];
		for (let i = 1; i <= total; i++) {
			await expect
				.poll(() => page.getByTestId('slide-count').innerText())
				.toBe(`Dia ${i} van ${total}`);
			cut.push(...(await clipped(page)).map((c) => `slide ${i}: ${c}`));
			if (i === 1)
				await page.screenshot({ path: path.join(shots, `overleg-1440-${tag}-${storeName}.png`) });
			if (i < total) await page.keyboard.press('ArrowRight');
		}
		expect(cut, 'cut off at 1440×900').toEqual([]);
	} finally {
		await page.setViewportSize(size);
	}
	await page.keyboard.press('Home');
}

/**
 * Steps through every slide with the keyboard: the URL names the slide, the map flies to each
 * action, every text is at least 28 px, the QR code decodes to the slide's public page; saves
 * a screenshot of the first ambition, action and "since" slide; prints.
 */
async function walkDeck(page: Page, url: string, wijk: string, tag: string) {
	const agenda = (await (await fetch(`${url}/api/wijken/${wijk}/agenda.json`)).json()) as Agenda;
	await page.goto(`${url}/wijk/${wijk}/overleg`);
	await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
	const count = await page.getByTestId('slide-count').innerText();
	const total = Number(count.match(/van (\d+)/)![1]);
	const actions = agenda.ambitions.reduce((n, m) => n + m.actions.length, 0);
	expect(total).toBeGreaterThanOrEqual(agenda.ambitions.length + actions + 1);
	await fitsOnLaptop(page, total, tag);
	const kinds: string[] = [];
	const saved: string[] = [];
	let changedDrawn = 0;
	for (let i = 1; i <= total; i++) {
		await expect
			.poll(() => page.getByTestId('slide-count').innerText())
			.toBe(`Dia ${i} van ${total}`);
		expect(new URL(page.url()).searchParams.get('dia')).toBe(String(i));
		const slide = page.locator('article.slide');
		const kind = (await slide.getAttribute('data-kind'))!;
		const ref = Number(await slide.getAttribute('data-ref'));
		kinds.push(kind);
		// Nothing is cut off: the slide's text fits its space.
		expect(await clipped(page), `slide ${i} at ${page.viewportSize()!.width}`).toEqual([]);

		// The map is centred on the action's location once it has flown there.
		if (kind === 'action') {
			const title = await slide.locator('h2').innerText();
			const action = agenda.ambitions.flatMap((m) => m.actions).find((a) => a.title === title);
			expect(action, `action ${ref}`).toBeTruthy();
			if (action!.geometry) {
				const [w, s, e, n] = bbox(action!.geometry);
				await expect
					.poll(
						async () => {
							const c = await page.evaluate(() => {
								const m = (
									window as unknown as {
										__wijkkaartMap: {
											getCenter(): { lng: number; lat: number };
											isMoving(): boolean;
										};
									}
								).__wijkkaartMap;
								return m.isMoving() ? null : m.getCenter();
							});
							return c ? Math.max(Math.abs(c.lng - (w + e) / 2), Math.abs(c.lat - (s + n) / 2)) : 1;
						},
						{ timeout: 10_000 }
					)
					.toBeLessThan(0.0015);
			}
		}

		// A "since" slide highlights on the map what it lists: the changed items in a style of their
		// own, each also an entry of the list on the slide (what screen readers read).
		if (kind === 'since') {
			await page.waitForFunction(
				() =>
					!(
						window as unknown as { __wijkkaartMap: { isMoving(): boolean } }
					).__wijkkaartMap.isMoving()
			);
			const seen = await page.evaluate(() => {
				const m = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
					.__wijkkaartMap;
				const selected = (
					document.querySelector('.deck [data-selected]')?.getAttribute('data-selected') ?? ''
				)
					.split(' ')
					.filter(Boolean);
				const listed = [...document.querySelectorAll('article.slide li[data-key]')].map((li) =>
					li.getAttribute('data-key')!
				);
				const placed = m.querySourceFeatures('overlay').map((f) => String(f.properties.key));
				const drawn = m
					.queryRenderedFeatures({ layers: ['overlay-changed-point', 'overlay-changed-line'] })
					.map((f) => String(f.properties.key));
				return { selected, listed, placed, drawn: [...new Set(drawn)] };
			});
			expect(seen.listed.length, `slide ${i}`).toBeGreaterThan(0);
			expect(new Set(seen.selected), `slide ${i}`).toEqual(
				new Set(seen.listed.filter((k) => seen.placed.includes(k)))
			);
			expect(new Set(seen.drawn), `slide ${i}`).toEqual(
				new Set(seen.selected.filter((k) => k.startsWith('c')))
			);
			changedDrawn += seen.drawn.length;
		}

		// Every visible text on the slide side is at least 28 px.
		const small = await page.evaluate(() => {
			const out: string[] = [];
			for (const box of document.querySelectorAll('.deck .text, .deck .foot')) {
				const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					const el = n.parentElement!;
					if (!n.textContent!.trim() || !el.getClientRects().length) continue;
					const size = parseFloat(getComputedStyle(el).fontSize);
					if (size < 28) out.push(`${size}px: ${n.textContent!.trim().slice(0, 40)}`);
				}
			}
			return out;
		});
		expect(small, `slide ${i}`).toEqual([]);

		// The QR code on the slide decodes to the item's public page, and that page exists.
		const qr = await decodeQr(page, '.qr img');
		expect(qr, `slide ${i}`).toBe(await slide.getAttribute('data-url'));
		if (i <= 3 || kind === 'since' || kind === 'meeting') {
			const res = await fetch(qr!);
			expect(res.status, qr!).toBe(200);
		}

		if (
			(kind === 'ambition' && !saved.includes('ambition')) ||
			(kind === 'action' && !saved.includes('action')) ||
			(kind === 'since' && !saved.includes('since'))
		) {
			await page.waitForFunction(
				() =>
					!(
						window as unknown as { __wijkkaartMap: { isMoving(): boolean } }
					).__wijkkaartMap.isMoving()
			);
			await page.screenshot({ path: path.join(shots, `overleg-${kind}-${tag}-${storeName}.png`) });
			saved.push(kind);
		}
		const key = i % 2 ? 'ArrowRight' : 'PageDown';
		if (i < total) await page.keyboard.press(key);
	}
	expect(kinds[0]).toBe('ambition');
	expect(kinds).toContain('action');
	expect(kinds).toContain('since');
	expect(saved).toEqual(['ambition', 'action', 'since']);
	// Items did change since the previous meeting, and the map showed them.
	expect(changedDrawn).toBeGreaterThan(0);

	// Back and to the ends.
	await page.keyboard.press('Home');
	await expect.poll(() => page.getByTestId('slide-count').innerText()).toBe(`Dia 1 van ${total}`);
	await page.keyboard.press('End');
	await expect
		.poll(() => page.getByTestId('slide-count').innerText())
		.toBe(`Dia ${total} van ${total}`);
	await page.keyboard.press('PageUp');
	await expect
		.poll(() => page.getByTestId('slide-count').innerText())
		.toBe(`Dia ${total - 1} van ${total}`);
	await page.keyboard.press('ArrowLeft');
	await expect
		.poll(() => page.getByTestId('slide-count').innerText())
		.toBe(`Dia ${total - 2} van ${total}`);

	// `f` puts the deck in full screen and takes it out again (a key press is a user gesture).
	const fullscreen = () => page.evaluate(() => document.fullscreenElement?.tagName ?? null);
	await page.keyboard.press('f');
	await expect.poll(fullscreen).toBe('HTML');
	await page.keyboard.press('f');
	await expect.poll(fullscreen).toBe(null);

	// Printing gives every slide with a still map of the wijk, for the minutes.
	await page.emulateMedia({ media: 'print' });
	expect(await page.locator('.print-slide').count()).toBe(total);
	expect(await page.locator('.deck').isVisible()).toBe(false);
	for (const svg of await page.locator('.print-slide svg.static-map').all())
		expect(await svg.locator('path').count()).toBeGreaterThan(1);
	const pdf = await page.pdf({
		format: 'A4',
		path: path.join(shots, `overleg-${tag}-${storeName}.pdf`)
	});
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	await page.emulateMedia({ media: 'screen' });

	// The URL carries the slide: opening it shows that slide.
	await page.goto(`${url}/wijk/${wijk}/overleg?dia=3`);
	await expect.poll(() => page.getByTestId('slide-count').innerText()).toBe(`Dia 3 van ${total}`);
}

describe(`meeting mode on Utrecht (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let url: string;
	let wijk: string;

	beforeAll(async () => {
		portal = await openPortal(
			async (store, env) => {
				const db = store.db;
				await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
				await importAreasFromGeoJSON(db, read('buurt.geojson'), {
					level: 'buurt',
					parentLevel: 'wijk'
				});
				await writeUtrechtFixtures(db, { meldingen: 500 });
				await buildAreaTiles(db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
				// Binnenstad when it is there (code 04 in the open data), else the first wijk.
				const [w] = await db.query<{ wijk: string }>(
					`SELECT wijk FROM agenda ORDER BY (wijk = '04') DESC, wijk LIMIT 1`
				);
				wijk = w.wijk;
			},
			{ width: 1920, height: 1080 }
		);
		page = portal.page;
		url = portal.server.url;
		mkdirSync(shots, { recursive: true });
	});
	afterAll(() => portal?.close());

	it(
		'steps through every slide by keyboard; the map flies to each item; text is large; the QR code opens the item',
		() => walkDeck(page, url, wijk, 'utrecht'),
		420_000
	);

	it('the ward page shows the agenda beside the map; a list click highlights the action on the map', async () => {
		await page.goto(`${url}/wijk/${wijk}`);
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		const agenda = page.locator('#wijkagenda');
		await expect.poll(() => agenda.getByRole('progressbar').count()).toBeGreaterThan(3);
		const first = agenda.locator('[data-action]').first();
		const key = await first.getAttribute('data-action');
		await first.getByRole('button').click();
		await expect
			.poll(() => page.locator(`[data-action="${key}"]`).getAttribute('aria-current'))
			.toBe('true');
		await expect.poll(() => page.locator('.map').first().getAttribute('data-selected')).toBe(key);
		// Agenda shapes and meeting dots lie under the item layers: they never cover a cluster's number.
		const order = await page.evaluate(() =>
			(window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap
				.getStyle()
				.layers.map((l) => l.id)
		);
		const overlays = order.flatMap((id, i) => (id.startsWith('overlay-') ? [i] : []));
		const numbers = ['items-clusters', 'items-tile-cells'].map((id) => order.indexOf(id));
		expect(overlays.length).toBeGreaterThan(0);
		expect(Math.min(...numbers)).toBeGreaterThan(-1);
		expect(Math.max(...overlays), order.join(' ')).toBeLessThan(Math.min(...numbers));
		await page.screenshot({ path: path.join(shots, `wijk-agenda-${storeName}.png`) });
	});
});

describe(`meeting mode on the demo municipality (${storeName})`, () => {
	let portal: Portal;
	let wijk: string;

	beforeAll(async () => {
		portal = await openPortal(
			async (store, env) => {
				await seedDemoIfEmpty(store.db);
				await buildAreaTiles(store.db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
				[{ wijk }] = await store.db.query<{ wijk: string }>(
					`SELECT wijk FROM agenda ORDER BY wijk LIMIT 1`
				);
			},
			{ width: 1920, height: 1080 }
		);
	});
	afterAll(() => portal?.close());

	it(
		'steps through every slide of a Voorbeeldstad wijk the same way',
		() => walkDeck(portal.page, portal.server.url, wijk, 'demo'),
		420_000
	);
});
