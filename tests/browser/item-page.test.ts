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
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the store holds, picked before the store is handed to the server. */
interface Picked {
	rejected: { id: number; title: string; reason: string; wijk: string; wijkName: string };
	melding: { id: number; title: string; texts: string[] };
	secret: number;
	project: { id: number; budget: number; department: string };
	meeting: { id: number; title: string; participation: string; influence: string; venue: string };
	sensitiveWijk: string;
}

describe(`item pages and area counts (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let server: Portal['server'];
	let picked: Picked;

	beforeAll(async () => {
		portal = await openPortal(async (store, env) => {
			const db = store.db;
			await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(db, read('buurt.geojson'), {
				level: 'buurt',
				parentLevel: 'wijk'
			});
			await writeUtrechtFixtures(db, { meldingen: 2500 });
			await buildAreaTiles(db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
			const [rejected] = await db.query<Picked['rejected']>(
				`SELECT i.id::int, i.title, i.details->>'rejectionReason' AS reason, a.code AS wijk, a.name AS "wijkName"
				 FROM item i JOIN area a ON a.level = 'wijk' AND a.code = i.areas->>'wijk'
				 WHERE i.layer = 'initiatieven' AND i.status = 'afgewezen' AND i.details ? 'rejectionReason'
				   AND i.published AND NOT i.sensitive AND i.deleted_at IS NULL
				 ORDER BY i.id LIMIT 1`
			);
			const [melding] = await db.query<{ id: number; title: string; texts: string[] }>(
				`SELECT i.id::int, i.title, array_agg(u.public_text ORDER BY u.at, u.id) AS texts
				 FROM item i JOIN item_update u ON u.item_id = i.id
				 WHERE i.layer = 'meldingen' AND i.published AND NOT i.sensitive AND i.deleted_at IS NULL
				 GROUP BY i.id, i.title HAVING count(*) >= 2 AND bool_and(u.public_text <> '')
				 ORDER BY i.id LIMIT 1`
			);
			const [project] = await db.query<Picked['project']>(
				`SELECT id::int, (details->>'budget')::float8 AS budget, details->>'department' AS department FROM item
				 WHERE layer = 'projecten' AND details ? 'budget' AND published AND NOT sensitive AND deleted_at IS NULL
				 ORDER BY id LIMIT 1`
			);
			const [meeting] = await db.query<Picked['meeting']>(
				`SELECT id::int, title, details->>'participation' AS participation, details->>'influence' AS influence,
				        details->>'venue' AS venue FROM item
				 WHERE layer = 'bijeenkomsten' AND details ? 'influence' AND published AND NOT sensitive AND deleted_at IS NULL
				 ORDER BY id LIMIT 1`
			);
			const [secret] = await db.query<{ id: number }>(
				`SELECT id::int FROM item WHERE sensitive ORDER BY id LIMIT 1`
			);
			// A wijk with a buurt where one sensitive category reaches the publication threshold.
			const [sensitive] = await db.query<{ wijk: string }>(
				`SELECT a.parent AS wijk FROM item i JOIN area a ON a.level = 'buurt' AND a.code = i.areas->>'buurt'
				 WHERE i.sensitive AND i.published AND i.deleted_at IS NULL
				 GROUP BY a.parent, a.code, i.category HAVING count(*) >= 5 ORDER BY count(*) DESC LIMIT 1`
			);
			expect(rejected, 'fixtures hold a rejected initiative').toBeTruthy();
			expect(melding, 'fixtures hold a melding with a timeline').toBeTruthy();
			expect(secret && sensitive, 'fixtures hold sensitive meldingen').toBeTruthy();
			expect(project && meeting, 'fixtures hold projects and meetings').toBeTruthy();
			picked = {
				rejected,
				melding,
				secret: secret.id,
				sensitiveWijk: sensitive.wijk,
				project,
				meeting
			};
		});
		({ page, server } = portal);
	});

	afterAll(() => portal?.close());

	it('a wijk page counts its items per layer and theme, and a count opens the filtered map', async () => {
		const code = picked.rejected.wijk;
		await page.goto(`${server.url}/wijk/${code}`);
		const perLayer = page.getByRole('table', { name: 'Per laag' });
		await expect
			.poll(() => perLayer.getByRole('rowheader').allInnerTexts())
			.toEqual(['Initiatieven', 'Projecten', 'Meldingen', 'Bijeenkomsten']);
		// Each count is what the API finds for the same filter.
		for (const layer of ['initiatieven', 'meldingen']) {
			const row = perLayer.getByRole('row', { name: new RegExp(`^${layer}`, 'i') });
			const shown = Number(await row.getByRole('link').innerText());
			const api = await (
				await fetch(`${server.url}/api/items?area=${code}&layer=${layer}&count=true&limit=1`)
			).json();
			expect(shown).toBe(api.numberMatched);
			expect(shown).toBeGreaterThan(0);
		}
		const perTheme = page.getByRole('table', { name: 'Per thema' });
		expect(await perTheme.getByRole('rowheader').count()).toBeGreaterThan(1);
		mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
		await page.screenshot({
			path: path.join(ROOT, 'test-results', `wijk-counts-${storeName}.png`),
			fullPage: true
		});

		await perLayer
			.getByRole('row', { name: /^meldingen/i })
			.getByRole('link')
			.click();
		await page.waitForURL(
			(u) =>
				u.pathname === '/' &&
				u.searchParams.get('area') === code &&
				u.searchParams.get('layer') === 'meldingen'
		);
	});

	it('sensitive meldingen appear only as counts per buurt', async () => {
		await page.goto(`${server.url}/wijk/${picked.sensitiveWijk}`);
		const table = page.getByRole('table', { name: /overlast/i });
		const rows = await table.getByRole('row').allInnerTexts();
		expect(rows.length).toBeGreaterThan(0);
		for (const r of rows) expect(Number(r.match(/(\d+)\s*$/)![1])).toBeGreaterThanOrEqual(5);
		// No sensitive item is reachable: its page does not exist for the public.
		const res = await page.goto(`${server.url}/item/${picked.secret}`);
		expect(res?.status()).toBe(404);
	});

	it('a rejected initiative states why, under its area breadcrumb', async () => {
		const { id, title, reason } = picked.rejected;
		await page.goto(`${server.url}/item/${id}`);
		await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
		const main = page.getByRole('main');
		await expect.poll(() => main.innerText()).toContain('afgewezen');
		const text = await main.innerText();
		expect(text).toMatch(new RegExp(`Reden van afwijzing\\s+${escape(reason)}`));
		const crumbs = page.getByRole('navigation', { name: 'Kruimelpad' });
		const wijk = crumbs.getByRole('link', {
			name: new RegExp(`^${escape(picked.rejected.wijkName)}$`, 'i')
		});
		expect(await wijk.getAttribute('href')).toBe(`/wijk/${picked.rejected.wijk}`);
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		await page.screenshot({
			path: path.join(ROOT, 'test-results', `item-rejected-${storeName}.png`)
		});
	});

	it('a melding shows its public timeline, oldest first', async () => {
		const { id, title, texts } = picked.melding;
		await page.goto(`${server.url}/item/${id}`);
		await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
		const timeline = page
			.getByRole('heading', { name: 'Wat er is gebeurd' })
			.locator('xpath=following-sibling::ol[1]');
		const entries = await timeline.getByRole('listitem').allInnerTexts();
		expect(entries).toHaveLength(texts.length);
		texts.forEach((t, i) => expect(entries[i]).toContain(t));
		// A status change reads "van → naar" in the layer's own words.
		expect(
			entries.some((e) => / → (in behandeling|ingepland|afgehandeld|heropend|geannuleerd)/.test(e))
		).toBe(true);
		await expect.poll(() => page.getByText('Afhandeltermijn').count()).toBe(1);
	});

	it('a project states its budget in euros and its department', async () => {
		const { id, budget, department } = picked.project;
		await page.goto(`${server.url}/item/${id}`);
		const euros = new Intl.NumberFormat('nl-NL', {
			style: 'currency',
			currency: 'EUR',
			maximumFractionDigits: 0
		}).format(budget);
		await expect.poll(() => page.getByRole('main').innerText()).toContain(euros);
		const text = await page.getByRole('main').innerText();
		expect(text).toMatch(new RegExp(`Verantwoordelijke afdeling\\s+${escape(department)}`));
		expect(text).toMatch(
			/Inspraak \(participatieniveau\)\s+(informeren|raadplegen|adviseren|coproduceren|meebeslissen)/
		);
	});

	it('a meeting reads in English, saying up front how much residents can influence', async () => {
		const { id, title, participation, influence, venue } = picked.meeting;
		await page.goto(`${server.url}/item/${id}?lang=en`);
		await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
		const text = await page.getByRole('main').innerText();
		expect(text).toContain('MEETINGS');
		const say = text.indexOf(`Say (participation level)\n${participation}`);
		const room = text.indexOf(`What can still be influenced\n${influence}`);
		const where = text.indexOf(`Venue\n${venue}`);
		expect(say).toBeGreaterThan(0);
		expect(room).toBeGreaterThan(say);
		expect(where).toBeGreaterThan(room);
		expect(text).toContain('What happened');
		// Back to Dutch for whoever uses this browser next.
		await page.goto(`${server.url}/?lang=nl`);
	});

	it('an unknown or malformed item number gives a Dutch error page', async () => {
		const missing = await page.goto(`${server.url}/item/987654321`);
		expect(missing?.status()).toBe(404);
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
			'Deze pagina bestaat niet.'
		);
		expect(await page.getByRole('main').innerText()).toContain('bestaat niet of is niet openbaar');
		const malformed = await page.goto(`${server.url}/item/abc`);
		expect(malformed?.status()).toBe(400);
		expect(await page.getByRole('main').innerText()).toContain('geen nummer van een item');
	});
});
