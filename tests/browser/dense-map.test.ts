import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
	/** 'cells' or 'points': the kind of tile layer it was drawn in. */
	layer: string;
	count: number;
	title?: string;
	theme: string;
	/** Per-theme counts of a cell, `theme:<id>` → n. */
	themes: Record<string, number>;
}

/** What the drawn symbols add up to for the chosen themes (none: all), as the map labels them. */
function drawnTotal(features: Rendered[], themes: string[] = []): number {
	return features.reduce((n, f) => {
		if (!themes.length) return n + f.count;
		if (f.count === 1) return n + (themes.includes(f.theme) ? 1 : 0);
		return n + themes.reduce((k, t) => k + (f.themes[`theme:${t}`] ?? 0), 0);
	}, 0);
}

/** The middle of the z14 tile around the Dom, so the street full of meldingen lies in one tile. */
const HOTSPOT = ((): [number, number] => {
	const n = 2 ** 14;
	const [x, y] = [
		Math.floor(((5.1214 + 180) / 360) * n),
		Math.floor(
			((1 -
				Math.log(Math.tan((52.0907 * Math.PI) / 180) + 1 / Math.cos((52.0907 * Math.PI) / 180)) /
					Math.PI) /
				2) *
				n
		)
	];
	return [
		((x + 0.5) / n) * 360 - 180,
		(180 / Math.PI) * Math.atan(Math.sinh(Math.PI - (2 * Math.PI * (y + 0.5)) / n))
	];
})();
const HOTSPOT_ITEMS = 6000;

/** A public item's extent, layer and theme, read from the store before the portal starts. */
interface Stored {
	id: number;
	layer: string;
	theme: string;
	xmin: number;
	ymin: number;
	xmax: number;
	ymax: number;
}
type Box = [number, number, number, number];
/** What `bbox` selects: items whose extent meets the box. */
const meets = (i: Stored, [w, s, e, n]: Box) =>
	i.xmin <= e && i.xmax >= w && i.ymin <= n && i.ymax >= s;

// More meldingen in view than one /api/items request returns: the map switches to item tiles.
describe(`a dense map draws item tiles (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let server: Portal['server'];
	const tileResponses: { url: string; status: number; encoding: string | null }[] = [];
	let stored: Stored[] = [];
	let wijken: { code: string; name: string; box: Box }[] = [];

	beforeAll(async () => {
		portal = await openPortal(async (store, env) => {
			await importAreasFromGeoJSON(store.db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(store.db, read('buurt.geojson'), {
				level: 'buurt',
				parentLevel: 'wijk'
			});
			await writeUtrechtFixtures(store.db, { meldingen: 8000 });
			// A street full of meldingen: more in one street-sized tile than it draws one by one.
			await store.db.query(
				`INSERT INTO item (layer, title, theme, status, geom)
				 SELECT 'meldingen', 'Afval naast container ' || g, 'openbare-ruimte', 'gemeld',
				        ST_SetSRID(ST_MakePoint($1 + (g % 80 - 40) * 0.00003, $2 + (g / 80 - 37) * 0.00003), 4326)
				 FROM generate_series(0, $3::int - 1) g`,
				[...HOTSPOT, HOTSPOT_ITEMS]
			);
			await buildAreaTiles(store.db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
			// The independent answer: plain SQL on the store, counted in the test (PGlite admits
			// one process, so read now, before the server takes the store).
			stored = await store.db.query<Stored>(
				`SELECT id::int, layer, theme, ST_XMin(geom)::float8 xmin, ST_YMin(geom)::float8 ymin, ST_XMax(geom)::float8 xmax, ST_YMax(geom)::float8 ymax
				 FROM item WHERE deleted_at IS NULL AND published AND NOT sensitive`
			);
			wijken = (
				await store.db.query<{
					code: string;
					name: string;
					w: number;
					s: number;
					e: number;
					n: number;
				}>(
					`SELECT code, name, ST_XMin(geom)::float8 w, ST_YMin(geom)::float8 s, ST_XMax(geom)::float8 e, ST_YMax(geom)::float8 n FROM area WHERE level = 'wijk'`
				)
			).map((r) => ({ code: r.code, name: r.name, box: [r.w, r.s, r.e, r.n] as Box }));
		});
		({ page, server } = portal);
		page.on('response', (r) => {
			if (r.url().includes('/tiles/items/'))
				tileResponses.push({
					url: r.url(),
					status: r.status(),
					encoding: r.headers()['content-encoding'] ?? null
				});
		});
	});
	afterAll(() => portal?.close());

	const rendered = () =>
		page.evaluate(() => {
			const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
				.__wijkkaartMap;
			// The tile layers shown for the chosen themes; the others are laid out but transparent.
			const shown = (
				document.querySelector('[data-items-layers]')?.getAttribute('data-items-layers') ?? ''
			)
				.split(' ')
				.filter(Boolean);
			return map.queryRenderedFeatures({ layers: shown }).map((f) => ({
				layer: f.layer.id.startsWith('items-tile-cells') ? 'cells' : 'points',
				count: Number(f.properties.count),
				title: f.properties.title as string | undefined,
				theme: String(f.properties.theme),
				themes: Object.fromEntries(
					Object.entries(f.properties).filter(([k]) => k.startsWith('theme:'))
				) as Record<string, number>
			}));
		}) as Promise<Rendered[]>;
	/**
	 * Pairs of drawn symbols, one a count bubble, whose images cover each other on screen: positions projected by the
	 * map, sizes those of the images it draws (every count bubble is drawn the same size, as is
	 * every lone item's symbol).
	 */
	const overlapping = () =>
		page.evaluate(() => {
			const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
				.__wijkkaartMap;
			const shown = (
				document.querySelector('[data-items-layers]')?.getAttribute('data-items-layers') ?? ''
			)
				.split(' ')
				.filter(Boolean);
			const side = (prefix: string) => {
				const id = map.listImages().find((i) => i.startsWith(prefix));
				const img = id ? map.getImage(id) : null;
				return img ? img.data.width / img.pixelRatio : 0;
			};
			const [bubble, icon] = [side('cluster-'), side('item-')];
			const drawn = map.queryRenderedFeatures({ layers: shown }).map((f) => {
				const p = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
				return { x: p.x, y: p.y, s: f.layer.id.startsWith('items-tile-cells') ? bubble : icon };
			});
			const pairs = drawn.flatMap((a, i) =>
				drawn
					.slice(i + 1)
					.filter((b) => {
						// Lone items drawn one by one at street level stand where they are; a bubble covers none.
						if (a.s !== bubble && b.s !== bubble) return false;
						// Less than a pixel's eighth of tile rounding is no overlap.
						const apart = (a.s + b.s) / 2 - 0.2;
						return Math.abs(a.x - b.x) < apart && Math.abs(a.y - b.y) < apart;
					})
					.map((b) => [a, b])
			);
			return { drawn: drawn.length, bubble, pairs: pairs.slice(0, 3), overlaps: pairs.length };
		});
	const expectApart = async (where: string) => {
		const r = await overlapping();
		expect(r.bubble, where).toBeGreaterThan(0);
		expect(r.drawn, where).toBeGreaterThan(1);
		expect(r.overlaps, `${where}: ${JSON.stringify(r.pairs)}`).toBe(0);
	};
	const zoomNow = () =>
		page.evaluate(() =>
			(window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap.getZoom()
		);
	const idle = () =>
		page.evaluate(
			() =>
				new Promise<void>((resolve) => {
					const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
						.__wijkkaartMap;
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
		await expect
			.poll(async () => (await rendered()).filter((f) => f.layer === 'cells').length, {
				timeout: 30_000
			})
			.toBeGreaterThan(0);
		const cells = await rendered();
		expect(cells.reduce((n, f) => n + f.count, 0)).toBeGreaterThan(5000);
		// Count bubbles that do not cover each other, at city scale, part of the city and street level (below).
		await expectApart(`city, zoom ${await zoomNow()}`);
		expect(tileResponses.length).toBeGreaterThan(0);
		expect(
			tileResponses.every((r) => r.status === 200 || r.status === 204 || r.status === 304)
		).toBe(true);
		expect(tileResponses.some((r) => r.encoding === 'gzip')).toBe(true);

		// A theme narrows the cells on the client: the drawn counts are the store's for that theme.
		const view = await map.getAttribute('data-items-url');
		const bbox = new URL(view!, server.url).searchParams.get('bbox');
		const count = async (q: string) =>
			(await (await fetch(`${server.url}/api/items?${q}bbox=${bbox}&count=true&limit=1`)).json())
				.numberMatched as number;
		const all = await count('');
		const matched = await count('theme=openbare-ruimte&');
		expect(matched).toBeGreaterThan(0);
		expect(matched).toBeLessThan(all);
		// The home view holds the whole city, so what is drawn is everything in the bbox.
		expect(drawnTotal(cells)).toBe(all);
		await page.getByLabel('Openbare ruimte & beheer').check();
		await page.waitForURL(/theme=openbare-ruimte/);
		await expect
			.poll(
				async () => (await map.getAttribute('data-items-url'))?.includes('theme=openbare-ruimte'),
				{ timeout: 30_000 }
			)
			.toBe(true);
		await idle();
		const narrowed = await rendered();
		expect(drawnTotal(narrowed, ['openbare-ruimte'])).toBe(matched);
		// No bubble for a cell without items of the theme, no lone item of another theme.
		expect(
			narrowed
				.filter((f) => f.layer === 'cells')
				.every((f) => (f.themes['theme:openbare-ruimte'] ?? 0) > 0)
		).toBe(true);
		expect(
			narrowed.filter((f) => f.layer === 'points').every((f) => f.theme === 'openbare-ruimte')
		).toBe(true);
		// The list follows, with the store's count when it holds every match.
		const summary = page.locator('#items-title ~ .summary');
		if (matched <= 5000)
			await expect
				.poll(async () => Number((await summary.innerText()).match(/\d+/)?.[0]), {
					timeout: 30_000
				})
				.toBe(matched);

		// The URL keeps the filter: a reload draws the same.
		await page.reload();
		await page.locator('[data-map-ready="true"]').waitFor({ timeout: 60_000 });
		await expect
			.poll(
				async () => (await map.getAttribute('data-items-url'))?.includes('theme=openbare-ruimte'),
				{ timeout: 30_000 }
			)
			.toBe(true);
		await idle();
		await expect
			.poll(async () => drawnTotal(await rendered(), ['openbare-ruimte']), { timeout: 30_000 })
			.toBe(matched);

		// Two themes: the cells sum both themes' counts.
		const both = await count('theme=openbare-ruimte&theme=verkeer&');
		await page.getByLabel('Verkeer & parkeren').check();
		await page.waitForURL(/verkeer/);
		await expect
			.poll(async () => (await map.getAttribute('data-items-url'))?.includes('verkeer'), {
				timeout: 30_000
			})
			.toBe(true);
		await idle();
		await expect
			.poll(async () => drawnTotal(await rendered(), ['openbare-ruimte', 'verkeer']), {
				timeout: 30_000
			})
			.toBe(both);
		await page.getByLabel('Verkeer & parkeren').uncheck();
		await page.waitForURL((u) => !u.search.includes('verkeer'));

		// Back to every theme: every item drawn again.
		await page.getByLabel('Openbare ruimte & beheer').uncheck();
		await page.waitForURL((u) => !u.search.includes('theme='));
		await expect
			.poll(async () => (await map.getAttribute('data-items-url'))?.includes('theme='), {
				timeout: 30_000
			})
			.toBe(false);
		await idle();
		expect(drawnTotal(await rendered())).toBe(all);
	});

	it('draws the tiles of a dense first view without waiting for the list request', async () => {
		// The server said the view is dense; held back, the map's /api/items request for the view must
		// not hold the map (the list's request, asked once the map has drawn, is not held).
		let released = false;
		await page.route(/\/api\/items\?.*bbox=[^&]*&limit=5000/, async (route) => {
			await new Promise((r) => setTimeout(r, 8000));
			released = true;
			await route.continue().catch(() => {});
		});
		try {
			await page.goto(server.url + '/');
			const map = page.locator('[data-map-ready="true"]');
			await map.waitFor({ timeout: 60_000 });
			await expect.poll(() => map.getAttribute('data-items-mode'), { timeout: 7000 }).toBe('tiles');
			await expect
				.poll(async () => (await rendered()).filter((f) => f.layer === 'cells').length, {
					timeout: 7000
				})
				.toBeGreaterThan(0);
			expect(released).toBe(false);
		} finally {
			await page.unrouteAll({ behavior: 'ignoreErrors' });
		}
	});

	it('shows single items with their titles at street level', async () => {
		// A melding away from the street full of them (the newest are that street's).
		const [lon, lat] = await page.evaluate(async (hotspot) => {
			const res = await fetch('/api/items?layer=meldingen&status=afgehandeld&limit=200');
			const points = (await res.json()).features.map(
				(f: GeoJSON.Feature<GeoJSON.Point>) => f.geometry.coordinates as [number, number]
			);
			const away = (p: [number, number]) => Math.hypot(p[0] - hotspot[0], p[1] - hotspot[1]);
			return points.sort((a: [number, number], b: [number, number]) => away(b) - away(a))[0];
		}, HOTSPOT);
		await page.evaluate(
			([lon, lat]) => {
				const map = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
					.__wijkkaartMap;
				map.jumpTo({ center: [lon, lat], zoom: 16 });
			},
			[lon, lat]
		);
		await idle();
		const map = page.locator('[data-map-ready="true"]');
		// Few enough items at street level: back to GeoJSON, or tiles with titles; either way every item is itself.
		await expect
			.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 })
			.toBe('geojson');
		expect(Number(await map.getAttribute('data-items-count'))).toBeGreaterThan(0);
	});

	it('counts a street too full to draw item by item in cells, and a click on one goes closer until each item shows', async () => {
		await page.goto(server.url + '/');
		const map = page.locator('[data-map-ready="true"]');
		await map.waitFor({ timeout: 60_000 });
		const jump = (zoom: number) =>
			page.evaluate(
				([lon, lat, zoom]) =>
					(
						window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }
					).__wijkkaartMap.jumpTo({ center: [lon, lat], zoom }),
				[...HOTSPOT, zoom]
			);
		await jump(14.5);
		await idle();
		await expect.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 }).toBe('tiles');
		await expect
			.poll(
				async () =>
					Math.max(0, ...(await rendered()).filter((f) => f.layer === 'cells').map((f) => f.count)),
				{ timeout: 30_000 }
			)
			.toBeGreaterThan(50);
		// The street's cells add up to its meldingen, as the tiles below the detail zoom do.
		const near = (await rendered()).filter((f) => f.layer === 'cells');
		expect(near.reduce((n, f) => n + f.count, 0)).toBeGreaterThanOrEqual(HOTSPOT_ITEMS);
		await expectApart('street full of meldingen, zoom 14.5');
		const target = await page.evaluate(() => {
			const m = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap;
			const shown = (
				document.querySelector('[data-items-layers]')?.getAttribute('data-items-layers') ?? ''
			)
				.split(' ')
				.filter(Boolean);
			const [cell] = m
				.queryRenderedFeatures({ layers: shown })
				.filter((f) => f.layer.id.startsWith('items-tile-cells'))
				.sort((a, b) => Number(b.properties.count) - Number(a.properties.count));
			const p = m.project((cell.geometry as GeoJSON.Point).coordinates as [number, number]);
			const r = m.getCanvas().getBoundingClientRect();
			return { x: r.left + p.x, y: r.top + p.y, zoom: m.getZoom() };
		});
		await page.mouse.click(target.x, target.y);
		const zoom = () =>
			page.evaluate(() =>
				(
					window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }
				).__wijkkaartMap.getZoom()
			);
		await expect.poll(zoom, { timeout: 30_000 }).toBeGreaterThan(target.zoom + 1.9);
		// Zoomed in, not narrowed to the buurt under the cell (what a click beside the items does).
		expect(new URL(page.url()).searchParams.has('area')).toBe(false);
		// Close enough that the view holds fewer than one request returns: every item on its own.
		await jump(20);
		await idle();
		await expect
			.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 })
			.toBe('geojson');
		expect(Number(await map.getAttribute('data-items-count'))).toBeGreaterThan(100);
		expect(await map.getAttribute('data-items-url')).not.toContain('area=');
	});

	it('fits a 390 px phone in tile mode: no sideways scroll, the header menu within reach, the map full width, the list a tab', async () => {
		const phone = await portal.browser.newPage({
			viewport: { width: 390, height: 844 },
			locale: 'nl-NL',
			isMobile: true,
			hasTouch: true
		});
		try {
			await phone.goto(server.url + '/');
			const map = phone.locator('[data-map-ready="true"]');
			await map.waitFor({ timeout: 60_000 });
			await expect
				.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 })
				.toBe('tiles');
			const drawn = () =>
				phone.evaluate(() => {
					const m = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
						.__wijkkaartMap;
					const layers = (
						document.querySelector('[data-items-layers]')?.getAttribute('data-items-layers') ?? ''
					)
						.split(' ')
						.filter(Boolean);
					return m.queryRenderedFeatures({ layers }).length;
				});
			await expect.poll(drawn, { timeout: 30_000 }).toBeGreaterThan(0);
			expect(
				await phone.evaluate(
					() => document.documentElement.scrollWidth - document.documentElement.clientWidth
				)
			).toBeLessThanOrEqual(0);
			const box = (await map.boundingBox())!;
			expect(box.x).toBeLessThanOrEqual(0.5);
			expect(box.width).toBeGreaterThanOrEqual(389);
			const shot = path.join(tmpdir(), `wijkkaart-tiles-390-${storeName}-${process.pid}.png`);
			await phone.screenshot({ path: shot });
			console.log(`390 px tile mode screenshot: ${shot}`);
			// The header's controls, behind the menu button, all within the screen.
			const menu = phone.locator('.menu-button');
			await menu.click();
			await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('true');
			const controls = phone.locator('header a, header button');
			expect(await controls.count()).toBeGreaterThan(2);
			for (const c of await controls.all()) {
				const b = await c.boundingBox();
				expect(
					b && (await c.isVisible()) && b.x >= 0 && b.x + b.width <= 390.5,
					await c.innerText()
				).toBe(true);
			}
			await menu.click();
			// The list is the other tab: what is in view, within the screen.
			await phone.getByRole('button', { name: 'Lijst' }).click();
			const list = phone.locator('.item-list li a').first();
			await list.waitFor({ timeout: 30_000 });
			const lb = (await list.boundingBox())!;
			expect(lb.x >= 0 && lb.x + lb.width <= 390.5).toBe(true);
			expect(await map.isVisible()).toBe(false);
			expect(
				await phone.evaluate(
					() => document.documentElement.scrollWidth - document.documentElement.clientWidth
				)
			).toBeLessThanOrEqual(0);
			await phone.getByRole('button', { name: 'Kaart' }).click();
			await expect.poll(() => map.isVisible()).toBe(true);
		} finally {
			await phone.close();
		}
	});

	it('counts and lists what is in view, and choosing a wijk fits the map to it', async () => {
		await page.goto(server.url + '/');
		const map = page.locator('[data-map-ready="true"]');
		await map.waitFor({ timeout: 60_000 });
		// Part of the city, the street full of meldingen in it: still more than one request returns.
		await page.evaluate(
			([lon, lat]) =>
				(window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap.jumpTo({
					center: [lon + 0.01, lat - 0.005],
					zoom: 13.5
				}),
			HOTSPOT
		);
		await idle();
		await expect.poll(() => map.getAttribute('data-items-mode'), { timeout: 30_000 }).toBe('tiles');
		await expect
			.poll(async () => (await map.getAttribute('data-items-url'))?.includes('bbox=5.1'), {
				timeout: 30_000
			})
			.toBe(true);
		const view = async () => {
			const box = new URL((await map.getAttribute('data-items-url'))!, server.url).searchParams
				.get('bbox')!
				.split(',')
				.map(Number) as Box;
			const actual = await page.evaluate(() =>
				(window as unknown as { __wijkkaartMap: import('maplibre-gl').Map }).__wijkkaartMap
					.getBounds()
					.toArray()
					.flat()
			);
			// The view the items were asked for is the map's view.
			for (let k = 0; k < 4; k++) expect(Math.abs(box[k] - actual[k])).toBeLessThan(1e-5);
			return box;
		};
		await expectApart('part of the city, zoom 13.5');
		const box = await view();
		const inView = stored.filter((i) => meets(i, box));
		expect(inView.length).toBeGreaterThan(5000);
		expect(inView.length).toBeLessThan(stored.length);
		const tally = (key: 'layer' | 'theme') =>
			inView.reduce<Record<string, number>>(
				(t, i) => ({ ...t, [i[key]]: (t[i[key]] ?? 0) + 1 }),
				{}
			);
		const shown = () =>
			page.evaluate(() => {
				const read = (name: string) =>
					Object.fromEntries(
						[...document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)].map((el) => [
							el.value,
							Number(el.closest('label')!.querySelector('.count')!.textContent!.match(/\d+/)![0])
						])
					);
				return { layers: read('layer'), themes: read('theme') };
			});
		const expected = (t: Record<string, number>, ids: string[]) =>
			Object.fromEntries(ids.map((id) => [id, t[id] ?? 0]));
		const ids = await shown();
		// What the filters say is in view is what the store holds in view, initiatieven and every theme included.
		await expect.poll(shown, { timeout: 30_000 }).toEqual({
			layers: expected(tally('layer'), Object.keys(ids.layers)),
			themes: expected(tally('theme'), Object.keys(ids.themes))
		});
		expect(tally('layer').initiatieven ?? 0).toBeGreaterThan(0);
		// The list: items in view, nearest to the middle of the view first, and how many there are in all.
		const summary = page.locator('#items-title ~ .summary');
		await expect
			.poll(async () => Number((await summary.innerText()).replace(/\./g, '').match(/\d+/)?.[0]), {
				timeout: 30_000
			})
			.toBe(inView.length);
		const listed = (await page
			.locator('.item-list li a')
			.evaluateAll((as) =>
				as.map((a) => Number(a.getAttribute('href')!.split('/').pop()))
			)) as number[];
		expect(listed.length).toBeGreaterThan(0);
		const byId = new Map(stored.map((i) => [i.id, i]));
		expect(listed.every((id) => byId.has(id) && meets(byId.get(id)!, box))).toBe(true);
		const centre = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
		const points = inView.filter((i) => i.xmin === i.xmax && i.ymin === i.ymax);
		const dist = (i: Stored) => Math.hypot(i.xmin - centre[0], i.ymin - centre[1]);
		const listedSet = new Set(listed);
		const farthestListed = Math.max(...points.filter((i) => listedSet.has(i.id)).map(dist));
		const nearestLeftOut = Math.min(...points.filter((i) => !listedSet.has(i.id)).map(dist));
		expect(farthestListed).toBeLessThanOrEqual(nearestLeftOut + 1e-12);

		// A wijk chosen in the filters: the map fits it.
		const wijk =
			wijken.find(
				(w) => w.box[0] > box[2] || w.box[2] < box[0] || w.box[1] > box[3] || w.box[3] < box[1]
			) ?? wijken[0];
		await page.locator('#f-area').selectOption(wijk.code);
		await page.waitForURL(new RegExp(`area=${wijk.code}`));
		const fitted = async () => {
			const [w, s, e, n] = await page.evaluate(() => {
				const m = (window as unknown as { __wijkkaartMap: import('maplibre-gl').Map })
					.__wijkkaartMap;
				return m.isMoving() ? [0, 0, 0, 0] : m.getBounds().toArray().flat();
			});
			const [ww, ws, we, wn] = wijk.box;
			const holds = w <= ww && s <= ws && e >= we && n >= wn;
			// Fitted, not merely somewhere around it: the wijk fills most of the view one way.
			const fills = Math.max((we - ww) / (e - w), (wn - ws) / (n - s));
			return holds && fills > 0.5;
		};
		await expect.poll(fitted, { timeout: 30_000 }).toBe(true);
	});
});
