import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAtomFeed } from 'feedsmith';
import type { Page } from 'playwright-core';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { startServer } from '../helpers/server.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { hashToken } from '../../src/lib/server/residents/tracking.ts';
import { searchAddresses } from '../../src/lib/server/residents/addresses.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { importUtrechtStreets, publicItemsNear } from '../integration/residents-setup.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));

describe(`a resident on Utrecht (${storeName})`, () => {
	let portal: Portal;
	let page: Page;
	let base: string;
	let wijk: { code: string; name: string };
	let trackingUrl: string;
	let server: Portal['server'];

	beforeAll(async () => {
		portal = await openPortal(async (store, env) => {
			const db = store.db;
			await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(db, read('buurt.geojson'), {
				level: 'buurt',
				parentLevel: 'wijk'
			});
			await importUtrechtStreets(db);
			const [home] = await searchAddresses(db, 'Vleutenseweg');
			await publicItemsNear(db, [home.lon, home.lat]);
			[wijk] = await db.query<{ code: string; name: string }>(
				`SELECT a.code, a.name FROM area a WHERE a.level = 'wijk' AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
				[home.lon, home.lat]
			);
			await buildAreaTiles(db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
		});
		page = portal.page;
		server = portal.server;
		base = server.url;
	}, 240_000);
	afterAll(async () => {
		await portal?.close();
	});

	/** Tab until the element with this id has focus: the keyboard, no mouse. */
	async function tabTo(id: string) {
		for (let i = 0; i < 60; i++) {
			if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
			await page.keyboard.press('Tab');
		}
		throw new Error(`#${id} kreeg geen focus met Tab`);
	}

	it('1–2: searches a real Utrecht street and sees what is near, by distance, with buurt and wijk', async () => {
		await page.goto(`${base}/in-de-buurt`);
		await page.getByLabel('Adres, straat, postcode of wijk').fill('vleutensew');
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => u.searchParams.get('q') === 'vleutensew');
		await expect.poll(() => page.locator('h2').first().textContent()).toBe('Rond Vleutenseweg');
		// 500 m by default: the melding, the meeting and the project, nearest first.
		const items = page.locator('ol.items li');
		expect(await items.count()).toBe(3);
		expect(await items.nth(0).textContent()).toMatch(/Lamp kapot[\s\S]*\d+ m/);
		expect(await items.nth(1).textContent()).toContain('Buurtavond <b>groen</b>');
		expect(await items.nth(2).textContent()).toContain('Herinrichting straat');
		expect(
			await page.getByRole('link', { name: wijk.name, exact: true }).getAttribute('href')
		).toBe(`/wijk/${wijk.code}`);
		await page.getByRole('radio', { name: '250 m' }).check();
		await page.getByRole('button', { name: 'Zoeken' }).click();
		await page.waitForURL((u) => u.searchParams.get('r') === '250');
		await expect.poll(() => items.count()).toBe(2);
		// The radius is drawn on the map.
		await page.locator('.pin-map[data-ready="true"]').waitFor({ timeout: 30_000 });
	}, 90_000);

	it('3–4: reports a melding by keyboard only and opens the private tracking link', async () => {
		await page.goto(`${base}/melden`);
		await tabTo('f-address');
		await page.keyboard.type('Vleutenseweg');
		// The hits are choices; the pin moves only to the one chosen (Tab to the first, Enter).
		await page.locator('button.choice').first().waitFor();
		expect(await page.locator('button.choice').first().textContent()).toMatch(/^Vleutenseweg/);
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await page.getByText(/De speld staat bij Vleutenseweg/).waitFor();
		await tabTo('f-category');
		for (
			let i = 0;
			i < 20 && (await page.locator('#f-category').inputValue()) !== 'straatverlichting';
			i++
		) {
			await page.keyboard.press('ArrowDown');
		}
		expect(await page.locator('#f-category').inputValue()).toBe('straatverlichting');
		// An open melding of the same kind lies within 50 m.
		await page.getByRole('heading', { name: 'Is het dit? Volg deze melding' }).waitFor();
		expect(await page.locator('.duplicates').textContent()).toContain('Lamp kapot');
		await tabTo('f-description');
		await page.keyboard.type('Lantaarn knippert <script>alert(1)</script>');
		await tabTo('f-email');
		await page.keyboard.type('bewoner@example.nl');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => (document.activeElement as HTMLElement).textContent)).toBe(
			'Melding versturen'
		);
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/volg\/[A-Za-z0-9_-]{43}\?nieuw=1$/);
		const number = await page.getByTestId('tracking-number').textContent();
		expect(number).toMatch(/^M-\d{4}-\d{6}$/);
		trackingUrl = page.url().replace('?nieuw=1', '');
		await page.goto(trackingUrl);
		expect(await page.getByTestId('status').textContent()).toBe('gemeld');
		expect(await page.locator('.description').textContent()).toBe(
			'Lantaarn knippert <script>alert(1)</script>'
		);
		expect(await page.content()).not.toContain('bewoner@example.nl');
	}, 90_000);

	it('5: sees the status changes a staff member made (via the store: item row plus item_update) and answers "opgelost? nee"', async () => {
		const token = hashToken(new URL(trackingUrl).pathname.split('/').pop()!);
		const update = async (sql: { query: (t: string, p?: unknown[]) => Promise<unknown> }) => {
			await sql.query(
				`UPDATE item SET status = 'in_behandeling', published = true, moderation = 'goedgekeurd', moderated_at = now()
				 WHERE id = (SELECT item_id FROM tracking WHERE token_hash = $1)`,
				[token]
			);
			await sql.query(
				`INSERT INTO item_update (item_id, status_from, status_to, public_text)
				 SELECT item_id, 'gemeld', 'in_behandeling', 'Een monteur gaat kijken.' FROM tracking WHERE token_hash = $1`,
				[token]
			);
			await sql.query(
				`UPDATE item SET status = 'afgehandeld' WHERE id = (SELECT item_id FROM tracking WHERE token_hash = $1)`,
				[token]
			);
			await sql.query(
				`INSERT INTO item_update (item_id, at, status_from, status_to, public_text)
				 SELECT item_id, now() + interval '1 second', 'in_behandeling', 'afgehandeld', 'Lamp vervangen.' FROM tracking WHERE token_hash = $1`,
				[token]
			);
		};
		if (portal.store.db.kind === 'pglite') {
			// PGlite admits one process: stop the server, write as staff would, serve again.
			await server.stop();
			const db = await openPglite(portal.env.WIJKKAART_DATA_DIR);
			await update(db);
			await db.close();
			server = await startServer(portal.env);
			portal.server = server;
		} else {
			const db = await openPostgres(portal.env.DATABASE_URL);
			await update(db);
			await db.close();
		}
		await page.goto(trackingUrl.replace(base, server.url));
		base = server.url;
		expect(await page.getByTestId('status').textContent()).toBe('afgehandeld');
		const timeline = await page.locator('.timeline').textContent();
		expect(timeline).toMatch(/Een monteur gaat kijken\.[\s\S]*Lamp vervangen\./);
		// "Is het opgelost?" — no: the melding is reopened with a public note.
		await page.getByRole('radio', { name: 'Nee' }).check();
		await page.getByRole('button', { name: 'Antwoord versturen' }).click();
		await page.getByText('Bedankt voor uw antwoord.').waitFor();
		expect(await page.getByTestId('status').textContent()).toBe('heropend');
		expect(await page.locator('.timeline').textContent()).toContain(
			'Heropend: de melder laat weten dat het probleem nog niet is opgelost.'
		);
	}, 120_000);

	it('6: follows the wijk: the Volg link resolves to a valid Atom feed', async () => {
		await page.goto(`${base}/wijk/${wijk.code}`);
		const href = await page.getByRole('link', { name: 'Volg (Atom-feed)' }).getAttribute('href');
		expect(href).toBe(`/feeds/wijk/${wijk.code}.atom`);
		const res = await page.request.get(`${base}${href}`);
		expect(res.headers()['content-type']).toMatch(/^application\/atom\+xml/);
		const body = await res.text();
		const feed = parseAtomFeed(body);
		const titles = feed.entries!.map((e) => (e.title as { value: string }).value);
		expect(titles).toContain('Straatverlichting kapot: gemeld → in behandeling');
		expect(body).not.toContain('bewoner@example.nl');
		expect(body).not.toContain('/volg/');
	}, 60_000);
});
