import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { runScript } from '../helpers/server.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { createTracking } from '../../src/lib/server/residents/tracking.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { replaceAgenda } from '../../src/lib/server/agenda/store.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));
const PASSWORD = 'bewerk-test-wachtwoord-lang';
const REGISSEUR = 'regisseur@gemeente.test';
const MODERATOR = 'moderator@gemeente.test';

describe(`editing and moderation in the browser (${storeName})`, () => {
	let portal: Portal;
	let base: string;
	let wijk: { code: string; x: number; y: number };
	let proposalId: number;
	let proposalToken: string;
	let projectId: number;

	async function signIn(browser: Browser, email: string): Promise<Page> {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
		// After hydration, or Svelte may reset what was typed into the server-rendered fields.
		await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
		await page.fill('#login-email', email);
		await page.fill('#login-password', PASSWORD);
		expect(await page.inputValue('#login-email')).toBe(email);
		await Promise.all([
			page.waitForURL(/\/beheer/, { timeout: 60_000 }),
			page.click('form button[type=submit]')
		]).catch(async (err) => {
			throw new Error(
				`aanmelden als ${email} mislukt op ${page.url()}: ${(await page.textContent('main'))?.slice(0, 300)} (${err})`
			);
		});
		return page;
	}

	beforeAll(async () => {
		portal = await openPortal(async (store, env, release) => {
			const db = store.db;
			await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(db, read('buurt.geojson'), {
				level: 'buurt',
				parentLevel: 'wijk'
			});
			await buildAreaTiles(db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
			[wijk] = await db.query<{ code: string; x: number; y: number }>(
				`SELECT code, ST_X(p)::float8 x, ST_Y(p)::float8 y FROM (SELECT code, ST_PointOnSurface(geom) p FROM area WHERE level = 'wijk' ORDER BY code LIMIT 1) s`
			);
			// A resident's initiative proposal awaiting moderation, as the residents' form writes it.
			proposalId = await db.transaction(async (tx) => {
				await syncTaxonomy(tx);
				const { ids } = await insertItems(tx, [
					{
						layer: 'initiatieven',
						title: 'Voorstel: pluktuin bij de school',
						description: 'Een tuin voor iedereen.',
						theme: 'groen-water',
						status: 'idee',
						geometry: { type: 'Point', coordinates: [wijk.x, wijk.y] }
					}
				]);
				await tx.query(
					`UPDATE item SET published = false, moderation = 'te_beoordelen' WHERE id = $1`,
					[ids[0]]
				);
				({ token: proposalToken } = await createTracking(tx, ids[0]!, 'initiatieven'));
				return ids[0]!;
			});
			// A wijkagenda with one action that has no place yet.
			const action = {
				title: 'Speelplek vergroenen',
				description: '',
				owner: 'Stadsbeheer',
				plannedStart: null,
				plannedEnd: null,
				actualStart: null,
				actualEnd: null,
				status: 'gepland' as const,
				progress: 0,
				budget: null,
				geometry: null,
				buurten: [],
				items: []
			};
			const ambition = {
				theme: 'groen-water',
				title: 'Meer groen',
				description: '',
				rank: 1,
				goals: [],
				actions: [action]
			};
			await db.transaction((tx) =>
				replaceAgenda(
					tx,
					{
						wijk: wijk.code,
						periodStart: 2026,
						periodEnd: 2029,
						title: 'Wijkagenda',
						contacts: [],
						ambitions: [ambition]
					},
					{ kind: 'system' }
				)
			);
			await release();
			for (const [email, role, extra] of [
				[REGISSEUR, 'wijkregisseur', ['--wijk', wijk.code]],
				[MODERATOR, 'moderator', []]
			] as const) {
				const r = await runScript(
					'scripts/user.ts',
					[
						'add',
						email,
						'--role',
						role,
						...extra,
						'--name',
						role === 'moderator' ? 'Mo Derator' : 'Wies Regisseur'
					],
					{
						...env,
						WIJKKAART_PASSWORD: PASSWORD
					}
				);
				expect(r.code, r.stderr).toBe(0);
			}
		});
		base = portal.server.url;
	});
	afterAll(() => portal?.close());

	it('a wijkregisseur draws a project line, saves it, sets its phase with a public text, and the public sees both', async () => {
		const page = await signIn(portal.browser, REGISSEUR);
		await page.goto(`${base}/beheer/items/nieuw?laag=projecten`);
		// The drawing map is up only after hydration: typing before it could be lost.
		await page.waitForSelector('[data-draw-ready="true"]', { timeout: 60_000 });
		await page.fill('#f-title', 'Fietsstraat langs de singel');
		await page.selectOption('#f-theme', 'verkeer');
		await page.click('button[data-mode="linestring"]');
		// Two points east and west of a point inside the wijk, as screen positions on the canvas.
		const pts = await page.evaluate(
			([x, y]) => {
				const m = (
					window as unknown as {
						__wijkkaartDrawMap: { project(p: [number, number]): { x: number; y: number } };
					}
				).__wijkkaartDrawMap;
				return [m.project([x - 0.0015, y]), m.project([x + 0.0015, y])];
			},
			[wijk.x, wijk.y]
		);
		const box = (await page.locator('[data-draw-ready="true"]').boundingBox())!;
		const at = (p: { x: number; y: number }) => [box.x + p.x, box.y + p.y] as const;
		await page.mouse.move(...at(pts[0]));
		await page.mouse.click(...at(pts[0]));
		await page.waitForTimeout(300);
		await page.mouse.move(...at(pts[1]), { steps: 5 });
		await page.mouse.click(...at(pts[1]));
		await page.waitForTimeout(300);
		// Clicking the last point again finishes the line.
		await page.mouse.click(...at(pts[1]));
		await expect
			.poll(async () => page.inputValue('input[name="geometry"]'))
			.toContain('LineString');
		const drawn = JSON.parse(await page.inputValue('input[name="geometry"]'));
		expect(drawn.coordinates).toHaveLength(2);
		expect(drawn.coordinates[0][0]).toBeCloseTo(wijk.x - 0.0015, 3);

		await Promise.all([
			page.waitForURL(/\/beheer\/items\/\d+\?aangemaakt=1/),
			page.click('button.primary')
		]);
		const id = (projectId = Number(/items\/(\d+)/.exec(page.url())![1]));
		await expect.poll(() => page.textContent('[data-testid="item-state"]')).toMatch(/verkenning/);

		await page.selectOption('#s-status', 'uitvoering');
		await page.fill('#s-text', 'De bouw begint op 1 december; de singel blijft bereikbaar.');
		await page.click('form.status button[type=submit]');
		await page.waitForSelector('text=De status is gewijzigd');
		await expect.poll(() => page.textContent('[data-testid="item-state"]')).toMatch(/uitvoering/);

		const pub = await portal.browser.newPage({ locale: 'nl-NL' });
		await pub.goto(`${base}/item/${id}`);
		expect(await pub.textContent('main')).toContain(
			'De bouw begint op 1 december; de singel blijft bereikbaar.'
		);
		const api = await (
			await fetch(`${base}/api/items?layer=projecten&q=${encodeURIComponent('Fietsstraat langs')}`)
		).json();
		expect(api.features.map((f: { id: number }) => f.id)).toEqual([id]);
		expect(api.features[0].geometry.type).toBe('LineString');
		expect(api.features[0].properties).toMatchObject({
			status: 'uitvoering',
			areas: { wijk: wijk.code }
		});
		// The wijk's feed, which residents follow, carries the phase change with its public text.
		const feed = await (await fetch(`${base}/feeds/wijk/${wijk.code}.atom`)).text();
		expect(feed).toContain('De bouw begint op 1 december; de singel blijft bereikbaar.');
		expect(feed).toContain('Fietsstraat langs de singel');
		await pub.close();
		await page.close();
	});

	it('a wijkregisseur draws where an agenda action happens, and the ward page draws it there', async () => {
		const page = await signIn(portal.browser, REGISSEUR);
		await page.goto(`${base}/beheer/agenda/${wijk.code}`, { waitUntil: 'networkidle' });
		const place = page.locator('details.place').first();
		expect(await place.locator('p[id$="-now"]').textContent()).toContain('geen getekende plek');
		await place.locator('summary').click();
		await page.waitForSelector('details.place [data-draw-ready="true"]', { timeout: 60_000 });
		await place.locator('button[data-mode="polygon"]').click();
		// A small triangle around a point inside the wijk, clicked on the canvas; the first corner closes it.
		const corners = await page.evaluate(
			([x, y]) => {
				const m = (
					window as unknown as {
						__wijkkaartDrawMap: { project(p: [number, number]): { x: number; y: number } };
					}
				).__wijkkaartDrawMap;
				return [
					m.project([x - 0.001, y - 0.0006]),
					m.project([x + 0.001, y - 0.0006]),
					m.project([x, y + 0.0008])
				];
			},
			[wijk.x, wijk.y]
		);
		const box = (await place.locator('[data-draw-ready="true"]').boundingBox())!;
		for (const c of [...corners, corners[0]]) {
			await page.mouse.move(box.x + c.x, box.y + c.y, { steps: 4 });
			await page.mouse.click(box.x + c.x, box.y + c.y);
			await page.waitForTimeout(250);
		}
		await expect
			.poll(() => place.locator('input[name="geometry"]').inputValue())
			.toContain('Polygon');
		await place
			.locator('textarea[name="text"]')
			.fill('Het vergroende deel van het plein is ingetekend.');
		await place.locator('button', { hasText: 'Plaats opslaan' }).click();
		await expect.poll(() => place.locator('p[id$="-now"]').innerText()).toContain('een vlak');

		const agenda = await (await fetch(`${base}/api/wijken/${wijk.code}/agenda.json`)).json();
		const saved = agenda.ambitions[0].actions[0];
		expect(saved.geometry.type).toBe('Polygon');
		expect(saved.geometry.coordinates[0]).toHaveLength(4);
		// The public ward page lists the action and draws it on its map, at the drawn place.
		const pub = await portal.browser.newPage({ locale: 'nl-NL' });
		await pub.goto(`${base}/wijk/${wijk.code}`);
		expect(await pub.textContent('main')).toContain('Speelplek vergroenen');
		// The wijk has this one action; the map's overlay holds it as kind "action".
		const drawnOnMap = async () =>
			pub.evaluate(() => {
				const m = (
					window as unknown as {
						__wijkkaartMap?: {
							getSource(s: string): unknown;
							querySourceFeatures(
								s: string
							): { geometry: { type: string }; properties: { kind: string } }[];
						};
					}
				).__wijkkaartMap;
				if (!m?.getSource('overlay')) return null;
				return (
					m.querySourceFeatures('overlay').find((x) => x.properties.kind === 'action')?.geometry
						.type ?? null
				);
			});
		await pub.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		await expect.poll(drawnOnMap, { timeout: 30_000 }).toBe('Polygon');
		await page.close();
		await pub.close();
	});

	it('two editors save the same version: the second sees both versions and keeps what they typed', async () => {
		const [a, b] = [
			await signIn(portal.browser, REGISSEUR),
			await signIn(portal.browser, REGISSEUR)
		];
		for (const p of [a, b]) {
			await p.goto(`${base}/beheer/items/${projectId}`);
			await p.waitForSelector('[data-draw-ready="true"]', { timeout: 60_000 });
		}
		await a.fill('#f-title', 'Fietsstraat singel (versie A)');
		await a.click('button.primary');
		await a.waitForSelector('text=De wijzigingen zijn opgeslagen.');

		await b.fill('#f-title', 'Fietsstraat singel (versie B)');
		await b.fill('#f-description', 'Toelichting die B typte.');
		await b.click('button.primary');
		await b.waitForSelector('.conflict');
		expect(await b.textContent('.conflict [role="alert"]')).toMatch(
			/gewijzigd door Wies Regisseur om \d{2}-\d{2}-\d{4},? \d{2}:\d{2}/
		);
		const row = b.locator('.conflict tr', { hasText: 'Titel' });
		expect(await row.locator('[data-side="yours"]').textContent()).toBe(
			'Fietsstraat singel (versie B)'
		);
		expect(await row.locator('[data-side="stored"]').textContent()).toBe(
			'Fietsstraat singel (versie A)'
		);
		// Nothing typed is lost: the form still holds B's input.
		expect(await b.inputValue('#f-title')).toBe('Fietsstraat singel (versie B)');
		expect(await b.inputValue('#f-description')).toBe('Toelichting die B typte.');
		// Saving again, knowingly, overwrites the stored version.
		await b.click('button.primary');
		await b.waitForSelector('text=De wijzigingen zijn opgeslagen.');
		const pub = await (await fetch(`${base}/api/items/${projectId}`)).json();
		expect([pub.properties.title, pub.properties.description]).toEqual([
			'Fietsstraat singel (versie B)',
			'Toelichting die B typte.'
		]);
		await a.close();
		await b.close();
	});

	it('a moderator rejects an initiative proposal with a reason, which stays with the item', async () => {
		const page = await signIn(portal.browser, MODERATOR);
		await page.goto(`${base}/beheer/moderatie`);
		const entry = page.locator(`li[data-item-id="${proposalId}"]`);
		await entry
			.locator('textarea[name="reason"]')
			.fill('Op deze plek komt al een schoolplein-vergroening.');
		await entry.locator('form[action="?/reject"] button').click();
		await page.waitForSelector(`text=Inzending ${proposalId} is afgewezen`);
		expect(await page.locator(`li[data-item-id="${proposalId}"]`).count()).toBe(0);

		await page.goto(`${base}/beheer/items/${proposalId}`);
		expect(await page.textContent('[data-testid="moderation"]')).toBe('afgewezen');
		expect(await page.textContent('[data-testid="moderation-reason"]')).toBe(
			'Op deze plek komt al een schoolplein-vergroening.'
		);
		expect((await fetch(`${base}/api/items/${proposalId}`)).status).toBe(404);
		// The proposer's private tracking page says it was rejected, and why.
		const resident = await portal.browser.newPage({ locale: 'nl-NL' });
		await resident.goto(`${base}/volg/${proposalToken}`);
		const text = await resident.locator('main').innerText();
		expect(text).toContain('Op deze plek komt al een schoolplein-vergroening.');
		expect(text).toMatch(/afgewezen/i);
		await resident.close();
		await page.close();
	});
});
