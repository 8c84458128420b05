import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { runScript } from '../helpers/server.ts';
import { cbsLayers, DISTRACTOR, writeCbsGeoPackage } from '../helpers/cbs-fixtures.ts';

const PASSWORD = 'import-test-wachtwoord-lang';
const BEHEERDER = 'beheer@gemeente.test';

describe(`/beheer/import in the browser (${storeName})`, () => {
	let portal: Portal;
	let base: string;
	let page: Page;
	let dir: string;
	let gpkg: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-upload-'));
		gpkg = writeCbsGeoPackage(
			dir,
			cbsLayers({ others: [{ code: DISTRACTOR, dx: 25_000, dy: 0 }], distractorWijken: 3 })
		);
		portal = await openPortal(async (_store, env, release) => {
			await release();
			const r = await runScript(
				'scripts/user.ts',
				['add', BEHEERDER, '--role', 'beheerder', '--name', 'Bea Heer'],
				{ ...env, WIJKKAART_PASSWORD: PASSWORD }
			);
			expect(r.code, r.stderr).toBe(0);
			// As scripts/start.ts sets it; the page's own limit is lower, to test it with a small file.
			env.BODY_SIZE_LIMIT = '11M';
			env.WIJKKAART_IMPORT_MAX_MB = '1';
		});
		base = portal.server.url;
		page = portal.page;
		await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
		await page.fill('#login-email', BEHEERDER);
		await page.fill('#login-password', PASSWORD);
		await Promise.all([
			page.waitForURL(/\/beheer/, { timeout: 60_000 }),
			page.click('form button[type=submit]')
		]);
	});
	afterAll(async () => {
		await portal?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	/** What the page says is in the portal now, from a fresh load. */
	const levelsNow = async () => {
		await page.goto(`${base}/beheer/import`, { waitUntil: 'networkidle' });
		return (await page.textContent('main'))!.split('Bestand (')[0];
	};

	it('a bad file gets a Dutch message and nothing is written', async () => {
		writeFileSync(path.join(dir, 'kapot.gpkg'), 'SQLite format 3\0 maar verder niets');
		await page.goto(`${base}/beheer/import`, { waitUntil: 'networkidle' });
		await expect.poll(() => page.textContent('main')).toMatch(/Nog geen gebieden/);
		await page.setInputFiles('#file', path.join(dir, 'kapot.gpkg'));
		await page.fill('input[name=gemeente]', 'GM0344');
		await page.getByRole('button', { name: 'Proefimport bekijken' }).click();
		const alert = page.locator('main [role=alert]');
		await alert.waitFor({ timeout: 60_000 });
		expect(await alert.textContent()).toMatch(
			/Niet geïmporteerd; er is niets veranderd\.\s*het bestand is geen leesbare GeoPackage/
		);
		expect(await levelsNow()).toMatch(/Nog geen gebieden/);
	});

	it('refuses an oversized upload from its Content-Length, before reading the body', async () => {
		const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
		const url = new URL(`${base}/beheer/import?/preview`);
		// Headers only: the body is never sent, so an answer proves the server did not wait for it.
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = http.request(url, {
				method: 'POST',
				headers: {
					cookie,
					origin: base,
					'content-type': 'multipart/form-data; boundary=x',
					'content-length': String(2 * 1024 * 1024)
				}
			});
			req.on('response', (res) => {
				let body = '';
				res.on('data', (d) => (body += d));
				res.on('end', () => {
					resolve({ status: res.statusCode ?? 0, body });
					req.destroy();
				});
			});
			req.on('error', reject);
			// A server that waits for the body it was promised never answers: fail in time, not at the test timeout.
			req.setTimeout(30_000, () => {
				req.destroy();
				reject(new Error('geen antwoord: de server wacht op de body'));
			});
			req.flushHeaders();
		});
		expect(answer.status).toBe(413);
		expect(answer.body).toMatch(/Het bestand is te groot: hoogstens 1 MB/);
	});

	it('previews a CBS GeoPackage (format, CRS, layers, counts, parents, list and map), then imports it', async () => {
		await page.goto(`${base}/beheer/import`, { waitUntil: 'networkidle' });
		await page.setInputFiles('#file', gpkg);
		await page.fill('input[name=gemeente]', 'GM0344');
		await page.getByRole('button', { name: 'Proefimport bekijken' }).click();
		const preview = page.locator('section[aria-labelledby=preview-title]');
		await preview.waitFor({ timeout: 120_000 });
		const text = (await preview.textContent())!;
		expect(text).toMatch(/GeoPackage \(wijkenbuurten_2024_v1\.gpkg\)/);
		expect(text).toMatch(/buurten \(146\), gemeenten \(2\), wijken \(14\)/);
		expect(text).toMatch(/GM0344 \(Utrecht\)/);
		expect(text).toMatch(/RD New \(EPSG:28992\)/);
		expect(text).toMatch(/waterdeel/);
		expect(await preview.locator('dd.count').allTextContents()).toEqual([
			'10 gebieden (vervangt 0)',
			'111 gebieden (vervangt 0)'
		]);
		expect(await preview.locator('dd.parents').textContent()).toBe(
			'111 uit eigenschap, 0 ruimtelijk, 0 zonder ouder'
		);
		// The accessible list and the map show the same 111 buurten; nothing from the distractor.
		const rows = preview.locator('table').nth(1).locator('tbody tr');
		expect(await rows.count()).toBe(111);
		expect(await preview.locator('svg.map path').count()).toBe(111);
		expect(text).not.toMatch(/BU0307/);
		expect(await rows.first().locator('td').allTextContents()).toEqual([
			'BU03440111',
			expect.stringMatching(/Café Één$/),
			'WK034401',
			expect.any(String)
		]);
		// A preview writes nothing.
		const importForm = page.locator('form[action="?/import"]');
		expect(await levelsNow()).toMatch(/Nog geen gebieden/);

		// Back to the preview (the upload is kept under its token) and import.
		await page.setInputFiles('#file', gpkg);
		await page.fill('input[name=gemeente]', 'GM0344');
		await page.getByRole('button', { name: 'Proefimport bekijken' }).click();
		await importForm.waitFor({ timeout: 120_000 });
		await importForm.getByRole('button', { name: 'Importeren' }).click();
		const status = page.locator('main [role=status]');
		await expect
			.poll(() => status.textContent(), { timeout: 120_000 })
			.toMatch(/111 gebieden op niveau buurt geïmporteerd/);
		expect(await status.textContent()).toMatch(
			/10 gebieden op niveau wijk geïmporteerd.*kaarttegels bijgewerkt: \d+ tegels/s
		);
		expect(await levelsNow()).toMatch(/wijk: 10 gebieden\s*buurt: 111 gebieden/);
		const tiles = await fetch(`${base}/tiles/areas.pmtiles`, { headers: { range: 'bytes=0-126' } });
		expect(tiles.status).toBe(206);
		await page.goto(`${base}/beheer/audit`, { waitUntil: 'networkidle' });
		expect(await page.textContent('main')).toMatch(/import\.upload/);
	});
});
