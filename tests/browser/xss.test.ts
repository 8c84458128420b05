import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAtomFeed } from 'feedsmith';
import type { Page } from 'playwright-core';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { runScript } from '../helpers/server.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));
const PASSWORD = 'xss-test-wachtwoord-lang';
const MODERATOR = 'moderator-xss@gemeente.test';
/** Every classic way to turn text into script; each sets window.__xss if it ever runs. */
const PAYLOADS = [
	'<img src=x onerror="window.__xss=1">',
	'<script>window.__xss=1</script>',
	'"><svg onload=window.__xss=1>',
	'javascript:window.__xss=1'
];
const P = (label: string) => `${label} ${PAYLOADS.join(' ')}`;

describe(`script in user text stays text in chromium (${storeName})`, () => {
	let portal: Portal;
	let base: string;
	let wijk: { code: string; x: number; y: number };
	let buurt: string;
	let itemId: number;
	let trackingUrl: string;
	let proposalId: number;
	const dialogs: string[] = [];

	beforeAll(async () => {
		portal = await openPortal(async (store, env, release) => {
			const db = store.db;
			await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(db, read('buurt.geojson'), {
				level: 'buurt',
				parentLevel: 'wijk'
			});
			[wijk] = await db.query<{ code: string; x: number; y: number }>(
				`SELECT code, ST_X(p)::float8 x, ST_Y(p)::float8 y FROM (SELECT code, ST_PointOnSurface(geom) p FROM area WHERE level = 'wijk' ORDER BY code LIMIT 1) s`
			);
			[{ code: buurt }] = await db.query<{ code: string }>(
				`SELECT code FROM area WHERE level = 'buurt' AND ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1`,
				[wijk.x, wijk.y]
			);
			await db.query(`UPDATE area SET name = $1 WHERE code = $2`, [P('Wijknaam'), wijk.code]);
			await db.query(`UPDATE area SET name = $1 WHERE code = $2`, [P('Buurtnaam'), buurt]);
			itemId = await db.transaction(async (tx) => {
				await syncTaxonomy(tx);
				const now = new Date();
				const { ids } = await insertItems(tx, [
					{
						layer: 'projecten',
						title: P('Projecttitel'),
						description: P('Projecttekst'),
						theme: 'verkeer',
						status: 'uitvoering',
						geometry: { type: 'Point', coordinates: [wijk.x, wijk.y] },
						createdAt: now,
						timeline: [{ at: now, from: null, to: 'uitvoering', text: P('Tijdlijn') }]
					}
				]);
				return ids[0]!;
			});
			await db.query(
				`WITH ag AS (INSERT INTO agenda (wijk, period_start, period_end, title) VALUES ($1, 2026, 2029, $2) RETURNING id),
				 am AS (INSERT INTO ambition (agenda_id, theme, title) SELECT id, 'verkeer', $3 FROM ag RETURNING id)
				 INSERT INTO action (ambition_id, title, owner, planned_start, planned_end, status)
				 SELECT id, $4, 'Stadsbeheer', '2026-04-01', '2026-05-31', 'loopt' FROM am`,
				[wijk.code, P('Agenda').slice(0, 200), P('Ambitie').slice(0, 200), P('Actie').slice(0, 200)]
			);
			await release();
			const r = await runScript(
				'scripts/user.ts',
				['add', MODERATOR, '--role', 'moderator', '--name', 'Mo Derator'],
				{ ...env, WIJKKAART_PASSWORD: PASSWORD }
			);
			expect(r.code, r.stderr).toBe(0);
		});
		base = portal.server.url;
		portal.page.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()}`);
			await d.dismiss();
		});
	}, 240_000);
	afterAll(async () => {
		await portal?.close();
	});

	async function visit(page: Page, url: string, shows: string[]) {
		await page.goto(`${base}${url}`, { waitUntil: 'load' });
		// Give hydration and any late-loading images their chance to run a payload.
		await page.waitForTimeout(400);
		expect(
			await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
			url
		).toBeUndefined();
		const text = await page.evaluate(() => document.body.innerText);
		for (const s of shows) expect(text, `${url} toont "${s}" als tekst`).toContain(s);
		expect(dialogs, url).toEqual([]);
	}

	it('a melding and an initiative proposal with payloads in every text field go in through the public API', async () => {
		const post = (to: string, body: Record<string, string>) =>
			fetch(`${base}${to}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		const m = await post('/api/meldingen', {
			category: 'straatverlichting',
			description: P('Meldingtekst'),
			email: 'x@example.nl',
			lat: String(wijk.y),
			lon: String(wijk.x)
		});
		expect(m.status, await m.clone().text()).toBe(201);
		trackingUrl = ((await m.json()) as { trackingUrl: string }).trackingUrl;
		const i = await post('/api/initiatieven', {
			title: P('Voorsteltitel').slice(0, 200),
			description: P('Voorsteltekst'),
			theme: 'verkeer',
			group: P('Groep').slice(0, 200),
			support: P('Draagvlak'),
			area: wijk.code
		});
		expect(i.status, await i.clone().text()).toBe(201);
		proposalId = ((await i.json()) as { id: number }).id;
	}, 60_000);

	it('public pages show every payload as text and run none of them', async () => {
		const page = portal.page;
		await visit(page, `/item/${itemId}`, [P('Projecttitel'), P('Projecttekst'), P('Tijdlijn')]);
		await visit(page, `/wijk/${wijk.code}`, [P('Wijknaam')]);
		await visit(page, `/gebied/buurt/${buurt}`, [P('Buurtnaam')]);
		await visit(page, `/gebied/wijk/${wijk.code}`, [P('Wijknaam')]);
		await visit(page, '/', []);
		await visit(page, `/wijk/${wijk.code}/overleg`, [P('Actie'), P('Ambitie')]);
		await visit(page, new URL(trackingUrl).pathname, [P('Meldingtekst')]);
		// The feed carries the payload as escaped text, never as markup a reader would run.
		const feed = await fetch(`${base}/feeds/wijk/${wijk.code}.atom`).then((r) => r.text());
		expect(feed).not.toMatch(/<(img|script|svg)\b/i);
		const parsed = parseAtomFeed(feed);
		expect(JSON.stringify(parsed)).toContain('<img src=x');
	}, 120_000);

	it('the moderation queue shows the proposal and the melding as text to a moderator', async () => {
		const page = await portal.browser.newPage({
			viewport: { width: 1280, height: 900 },
			locale: 'nl-NL'
		});
		page.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()}`);
			await d.dismiss();
		});
		await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
		await page.fill('#login-email', MODERATOR);
		await page.fill('#login-password', PASSWORD);
		await Promise.all([
			page.waitForURL(/\/beheer/, { timeout: 60_000 }),
			page.click('form button[type=submit]')
		]);
		await visit(page, '/beheer/moderatie', [
			P('Voorsteltitel'),
			P('Voorsteltekst'),
			P('Meldingtekst')
		]);
		// Approved, the proposal shows its group and draagvlak on the public item page.
		await Promise.all([
			page.waitForResponse((r) => r.url().includes('/approve') && r.request().method() === 'POST'),
			page.click(`li[data-item-id="${proposalId}"] form[action="?/approve"] button`)
		]);
		await page.locator(`li[data-item-id="${proposalId}"]`).waitFor({ state: 'detached' });
		await visit(portal.page, `/item/${proposalId}`, [
			P('Voorsteltitel'),
			P('Groep'),
			P('Draagvlak')
		]);
		await page.close();
	}, 120_000);
});
