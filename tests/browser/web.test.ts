import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { ROUTES, routeTable } from '../helpers/routes.ts';
import { startServer } from '../helpers/server.ts';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { addUser } from '../../src/lib/server/auth/users.ts';

/**
 * The portal as residents and staff meet it on the demo municipality: every page on a phone,
 * the basemap that cannot be reached here (the network is closed) and its street-name fallback,
 * the pin's address, /embed framed by another site, and meeting mode with its printed minutes.
 */
const PASSWORD = 'een-lang-testwachtwoord';
const STAFF = 'beheer@gemeente.test';
const SHOTS = '/tmp/shots-web';

/** Every page route (a +page.svelte), from src/routes, with its parameters filled from the demo. */
function pageRoutes(params: Record<string, string>): string[] {
	return [...routeTable().keys()]
		.filter((id) => existsSync(path.join(ROUTES, id, '+page.svelte')))
		.filter((id) => id !== '/logout')
		.map((id) =>
			id.replace(/\[(\w+)\]/g, (_, name: string) => {
				if (!(name in params))
					throw new Error(`route ${id}: no demo value for [${name}]; add one to this test`);
				return params[name];
			})
		);
}

/** Another site on loopback: a page that frames the portal, and a basemap style with its tiles. */
function otherSite() {
	const tile = PNG.sync.write(
		Object.assign(new PNG({ width: 256, height: 256 }), { data: Buffer.alloc(256 * 256 * 4, 200) })
	);
	const state = { up: true, tiles: 0, portal: '' };
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (!state.up && url.pathname !== '/frames.html') return void req.socket.destroy();
		const cors = { 'access-control-allow-origin': '*' };
		if (url.pathname === '/frames.html') {
			res
				.writeHead(200, { 'content-type': 'text/html' })
				.end(
					`<!doctype html><title>Gemeentesite</title><iframe id="embed" src="${state.portal}/embed?layer=meldingen" width="600" height="400"></iframe><iframe id="main" src="${state.portal}/" width="600" height="400"></iframe>`
				);
		} else if (url.pathname === '/style.json') {
			const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(
				JSON.stringify({
					version: 8,
					sources: {
						loop: { type: 'raster', tiles: [`${origin}/tiles/{z}/{x}/{y}.png`], tileSize: 256 }
					},
					layers: [{ id: 'loop', type: 'raster', source: 'loop' }]
				})
			);
		} else if (url.pathname.startsWith('/tiles/')) {
			state.tiles++;
			res.writeHead(200, { 'content-type': 'image/png', ...cors }).end(tile);
		} else res.writeHead(404).end();
	});
	return { server, state };
}

describe(`web: phones, basemap, embed and meeting mode (${storeName})`, () => {
	const site = otherSite();
	let siteOrigin: string;
	let portal: Portal;
	let base: string;
	let params: Record<string, string>;
	let address: { street: string; house_number: string; lon: number; lat: number };

	beforeAll(async () => {
		await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
		siteOrigin = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
		portal = await openPortal(async (store, env) => {
			// Set on the built server at run time: no rebuild knows these origins.
			env.WIJKKAART_BASEMAP_STYLE = `${siteOrigin}/style.json`;
			env.WIJKKAART_EMBED_ORIGINS = siteOrigin;
			await seedDemoIfEmpty(store.db);
			await buildAreaTiles(store.db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
			await addUser(
				store.db,
				{
					email: STAFF,
					role: 'beheerder',
					wijken: [],
					name: 'Test beheer',
					department: null,
					password: PASSWORD
				},
				{ kind: 'system' }
			);
			const [w] = await store.db.query<{ wijk: string }>(
				`SELECT wijk FROM agenda ORDER BY wijk LIMIT 1`
			);
			const [b] = await store.db.query<{ code: string }>(
				`SELECT code FROM area WHERE level = 'buurt' ORDER BY code LIMIT 1`
			);
			const [i] = await store.db.query<{ id: string }>(
				`SELECT id::text FROM item WHERE layer = 'projecten' ORDER BY id LIMIT 1`
			);
			params = { id: i.id, code: w.wijk, wijk: w.wijk, level: 'buurt' };
			// /gebied/[level]/[code] is a buurt; the same [code] name serves /wijk/[code].
			params.buurt = b.code;
			[address] = await store.db.query<{
				street: string;
				house_number: string;
				lon: number;
				lat: number;
			}>(
				`SELECT street, house_number, ST_X(geom)::float8 AS lon, ST_Y(geom)::float8 AS lat FROM address ORDER BY id LIMIT 1`
			);
		});
		base = portal.server.url;
		site.state.portal = base;
		mkdirSync(SHOTS, { recursive: true });
		// A melding to follow: its tracking page is one of the pages.
		const res = await fetch(`${base}/api/meldingen`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: base },
			body: JSON.stringify({
				category: 'straatverlichting',
				description: 'Lamp brandt niet',
				lat: address.lat,
				lon: address.lon
			})
		});
		const body = await res.json();
		expect(res.status, JSON.stringify(body)).toBe(201);
		params.token = body.trackingUrl.split('/volg/')[1];
	});
	afterAll(async () => {
		await portal?.close();
		site.server.close();
	});

	/** A fresh page (its own session storage), its errors collected. */
	async function freshPage(width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
		const page = await portal.browser.newPage({ viewport: { width, height }, locale: 'nl-NL' });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
		page.on('console', (m) => {
			if (process.env.WEB_TEST_DEBUG) console.log(`[${m.type()}] ${m.text()}`);
			// An unreachable basemap shows as one failed load of its probe; that is the case tested.
			if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
				errors.push(`console: ${m.text()}`);
		});
		return { page, errors };
	}

	it('draws the basemap configured at run time: the CSP names its origin and its tiles load', async () => {
		const res = await fetch(`${base}/`);
		const csp = res.headers.get('content-security-policy')!;
		expect(csp).toMatch(new RegExp(`img-src [^;]*${siteOrigin}`));
		expect(csp).toMatch(new RegExp(`connect-src [^;]*${siteOrigin}`));
		expect(csp).toContain("frame-ancestors 'none'");
		site.state.up = true;
		const before = site.state.tiles;
		const { page, errors } = await freshPage();
		await page.goto(`${base}/`);
		await page.waitForSelector('[data-basemap="shown"]', { timeout: 90_000 });
		await expect.poll(() => site.state.tiles, { timeout: 20_000 }).toBeGreaterThan(before);
		expect(errors).toEqual([]);
		await page.close();
	});

	it('falls back to the plain map with street names from the address index when the basemap is unreachable', async () => {
		site.state.up = false;
		try {
			const { page, errors } = await freshPage();
			await page.goto(`${base}/`);
			await page.waitForSelector('[data-basemap="streets"]', { timeout: 90_000 });
			await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
			await page.evaluate(
				([lon, lat]) =>
					(
						window as unknown as { __wijkkaartMap: { jumpTo(o: object): void } }
					).__wijkkaartMap.jumpTo({ center: [lon, lat], zoom: 16 }),
				[address.lon, address.lat]
			);
			await expect
				.poll(() => page.locator('.street-label').allInnerTexts(), { timeout: 20_000 })
				.toContain(address.street);
			expect(errors).toEqual([]);
			await page.close();
		} finally {
			site.state.up = true;
		}
	});

	it('names the address under the pin, and moves the pin to a typed address only when it is chosen', async () => {
		const { page, errors } = await freshPage(1280, 900);
		await page.goto(`${base}/melden`, { waitUntil: 'networkidle' });
		await page.locator('.pin-map[data-ready="true"]').waitFor({ timeout: 30_000 });
		await page.fill('#f-address', address.street);
		await page.locator('button.choice').first().waitFor();
		// Offered, not applied: no coordinates were set by the search.
		expect(await page.locator('input[name="lat"]').count()).toBe(0);
		const labels = await page.locator('button.choice').allInnerTexts();
		const exact = labels.findIndex((l) => l.startsWith(address.street));
		expect(exact, labels.join(' | ')).toBeGreaterThanOrEqual(0);
		await page.locator('button.choice').nth(exact).click();
		const lat = Number(await page.locator('input[name="lat"]').inputValue());
		expect(lat).not.toBeNaN();
		await expect.poll(() => page.getByTestId('pin-address').innerText()).toContain(address.street);
		// A click on the map where an indexed address is: the pin goes there and names it (reverse lookup).
		await page.fill('#f-address', '');
		await page.waitForTimeout(400);
		const box = (await page.locator('.pin-map').boundingBox())!;
		// Just below the pin's tip (the pin is drawn above its point): the chosen place, give or take a metre.
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 + 6);
		await expect
			.poll(() => page.locator('input[name="lat"]').inputValue(), { timeout: 10_000 })
			.not.toBe(String(lat.toFixed(7)));
		await expect
			.poll(() => page.inputValue('#f-address'), { timeout: 10_000 })
			.toContain(address.street);
		expect(await page.getByTestId('pin-address').innerText()).toMatch(
			new RegExp(`De speld staat (bij|op \\d+ m van) ${address.street}`)
		);
		expect(errors).toEqual([]);
		await page.close();
	});

	it('lets the configured site frame /embed with the home filters, and refuses the main pages', async () => {
		const embedCsp = (await fetch(`${base}/embed?layer=meldingen`)).headers.get(
			'content-security-policy'
		)!;
		expect(embedCsp).toContain(`frame-ancestors 'self' ${siteOrigin}`);
		const { page, errors } = await freshPage(1300, 900);
		await page.goto(`${siteOrigin}/frames.html`);
		const embed = page.frameLocator('#embed');
		await embed.locator('[data-map-ready="true"]').waitFor({ timeout: 60_000 });
		// The home map's filters came along: the map asks for meldingen only.
		await expect
			.poll(() => embed.locator('[data-items-url]').getAttribute('data-items-url'), {
				timeout: 30_000
			})
			.toContain('layer=meldingen');
		expect(await embed.locator('header.embed-bar').count()).toBe(1);
		// The main page in a frame: the browser refused it (an error page, none of the portal).
		expect(await page.frameLocator('#main').locator('[data-map-ready]').count()).toBe(0);
		expect(await page.frameLocator('#main').locator('header .brand').count()).toBe(0);
		expect(errors.filter((e) => !/frame-ancestors|Refused to (display|frame)/.test(e))).toEqual([]);
		await page.close();
	});

	it('moves focus to the new slide without errors, and prints the wijk shape on the minutes map', async () => {
		const { page, errors } = await freshPage(1280, 800);
		await page.goto(`${base}/wijk/${params.code}/overleg`);
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => page.getByTestId('slide-count').innerText()).toMatch(/^Dia 2 van/);
		await expect.poll(() => new URL(page.url()).searchParams.get('dia')).toBe('2');
		expect(
			await page.evaluate(() => document.activeElement?.matches('article.slide') ?? false)
		).toBe(true);
		expect(errors).toEqual([]);

		// The printed minutes: page 1 rendered with poppler; the still map's edge is paper, not fill.
		const A4 = { width: 794, height: 1123 };
		await page.setViewportSize(A4);
		await page.emulateMedia({ media: 'print' });
		const frame = await page.locator('.print-slide .static-map').first().boundingBox();
		expect(frame).toBeTruthy();
		const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-minutes-'));
		try {
			writeFileSync(
				path.join(dir, 'notulen.pdf'),
				await page.pdf({
					width: `${A4.width}px`,
					height: `${A4.height}px`,
					margin: { top: '0', right: '0', bottom: '0', left: '0' },
					printBackground: true
				})
			);
			execFileSync('pdftoppm', [
				'-r',
				'96',
				'-f',
				'1',
				'-l',
				'1',
				'-png',
				'-singlefile',
				path.join(dir, 'notulen.pdf'),
				path.join(dir, 'p1')
			]);
			const png = PNG.sync.read(readFileSync(path.join(dir, 'p1.png')));
			mkdirSync(SHOTS, { recursive: true });
			writeFileSync(path.join(SHOTS, `minutes-page1-${storeName}.png`), PNG.sync.write(png));
			const px = (x: number, y: number) => {
				const i = (Math.round(y) * png.width + Math.round(x)) * 4;
				return [png.data[i], png.data[i + 1], png.data[i + 2]];
			};
			const paper = (c: number[]) => c.every((v) => v >= 252);
			const f = frame!;
			// The drawing keeps 640:420 inside the frame (letterboxed); its top and bottom 6 px bands
			// lie outside any wijk (fitExtent leaves 12 px), so they must be paper.
			const drawnW = Math.min(f.width, (f.height * 640) / 420);
			const x0 = f.x + (f.width - drawnW) / 2;
			let band = 0;
			let paperInBand = 0;
			for (let x = x0 + drawnW * 0.1; x < x0 + drawnW * 0.9; x += 2) {
				for (const y of [f.y + 3, f.y + 5, f.y + f.height - 4, f.y + f.height - 6]) {
					band++;
					if (paper(px(x, y))) paperInBand++;
				}
			}
			expect(paperInBand / band, 'edge of the still map is paper').toBeGreaterThan(0.95);
			// …and the wijk itself is drawn: its fill colour (#f3f6f9) or outline (#00457c) covers a good part.
			let inked = 0;
			let all = 0;
			for (let y = f.y + 10; y < f.y + f.height - 10; y += 3) {
				for (let x = x0 + 10; x < x0 + drawnW - 10; x += 3) {
					all++;
					if (!paper(px(x, y))) inked++;
				}
			}
			expect(inked / all, 'the wijk shape is drawn').toBeGreaterThan(0.15);
			expect(inked / all, 'not a filled frame').toBeLessThan(0.95);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		await page.close();
	});

	it('has no page wider than a 320 px or 390 px phone, and every header control is reachable', async () => {
		const { browser } = portal;
		const failures: string[] = [];
		for (const width of [320, 390]) {
			const page = await browser.newPage({
				viewport: { width, height: 740 },
				locale: 'nl-NL',
				isMobile: true,
				hasTouch: true
			});
			page.on('pageerror', (e) => failures.push(`${width}px pageerror: ${e.message}`));
			await signIn(page);
			for (const route of pageRoutes({ ...params, code: params.code })) {
				const url = route.startsWith('/gebied/') ? `/gebied/buurt/${params.buurt}` : route;
				await page.goto(`${base}${url}`, { waitUntil: 'load' });
				const over = await page.evaluate(
					() => document.documentElement.scrollWidth - document.documentElement.clientWidth
				);
				if (process.env.WEB_TEST_DEBUG) console.log(width, url, over);
				if (over > 0) {
					const wide = await page.evaluate(() =>
						[...document.querySelectorAll('body *')]
							.filter(
								(el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
							)
							.slice(0, 4)
							.map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 60))
					);
					failures.push(`${width}px ${url}: ${over}px too wide (${wide.join(', ')})`);
				}
				// The header: a menu button opens every control, each inside the screen.
				const button = page.locator('.menu-button');
				if (await button.isVisible()) {
					await button
						.click({ timeout: 20_000 })
						.catch(() => failures.push(`${width}px ${url}: menu button covered`));
					// A click before the page has hydrated does nothing: then the menu is still closed.
					if ((await button.getAttribute('aria-expanded')) !== 'true') {
						await page.waitForTimeout(1000);
						await button
							.click({ timeout: 20_000 })
							.catch(() => failures.push(`${width}px ${url}: menu button covered`));
					}
				}
				const controls = page.locator('header a, header button');
				for (let k = 0; k < (await controls.count()); k++) {
					const c = controls.nth(k);
					const name = (await c.innerText()).trim();
					const box = await c.boundingBox();
					if (!box || !(await c.isVisible()) || box.x < 0 || box.x + box.width > width + 0.5)
						failures.push(`${width}px ${url}: header control "${name}" out of reach`);
				}
			}
			if (width === 390) await shoot(page, 390);
			await page.close();
		}
		const wide = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL' });
		await signIn(wide);
		await shoot(wide, 1440);
		await wide.close();
		expect(failures).toEqual([]);
	}, 900_000);

	async function signIn(page: Page) {
		await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
		await page.fill('#login-email', STAFF);
		await page.fill('#login-password', PASSWORD);
		await Promise.all([
			page.waitForURL(/\/beheer/, { timeout: 60_000 }),
			page.click('main form button[type=submit]')
		]);
	}

	/** Screenshots of the pages the issue names, to look at. */
	async function shoot(page: Page, width: number) {
		for (const [name, url] of [
			['home', '/'],
			['melden', '/melden'],
			['item', `/item/${params.id}`],
			['wijk', `/wijk/${params.code}`],
			['overleg', `/wijk/${params.code}/overleg`],
			['beheer-items', '/beheer/items']
		]) {
			await page.goto(`${base}${url}`, { waitUntil: 'load' });
			// The staff list has no map: waiting for one there only ran out the 20 s.
			if (name !== 'beheer-items')
				await page
					.waitForSelector('[data-map-ready="true"], .pin-map[data-ready="true"]', {
						timeout: 20_000
					})
					.catch(() => {});
			await page.waitForTimeout(800);
			await page.screenshot({ path: path.join(SHOTS, `${name}-${width}-${storeName}.png`) });
		}
	}
});
