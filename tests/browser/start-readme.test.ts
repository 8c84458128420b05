import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT } from '../helpers/server.ts';

/**
 * `npm install && npm start` exactly as the README says, in a clean environment: no ORIGIN, no
 * PORT, no database or data settings. It runs in a fresh directory that links to this checkout's
 * code, so its ./data and ./tiles are new and this checkout's are never touched. The README's
 * own address, http://localhost:3000, must then take a melding, a proposal and a sign-in.
 */
const PASSWORD = 'een-lang-testwachtwoord';
const STAFF = 'beheer@gemeente.test';

/** Port 3000 unless another process holds it (parallel runs on one machine): then PORT, the README's own knob. */
async function portFor(): Promise<{ port: number; env: Record<string, string> }> {
	const free = (port: number) =>
		new Promise<boolean>((resolve) => {
			const srv = net.createServer().once('error', () => resolve(false));
			srv.listen(port, () => srv.close(() => resolve(true)));
		});
	if (await free(3000)) return { port: 3000, env: {} };
	const srv = net.createServer();
	await new Promise<void>((r) => srv.listen(0, r));
	const port = (srv.address() as net.AddressInfo).port;
	await new Promise<void>((r) => srv.close(() => r()));
	return { port, env: { PORT: String(port) } };
}

/** The environment of a person who opened a terminal: nothing of this test run's settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (
			/^(WIJKKAART_|DATABASE_|ORIGIN$|PORT$|HOST$|PROTOCOL_HEADER$|HOST_HEADER$|VITEST|NODE_ENV$|TEST$)/.test(
				k
			)
		)
			continue;
		env[k] = v;
	}
	return { ...env, ...extra };
}

describe('npm start as the README says', () => {
	let dir: string;
	let proc: ChildProcess;
	let base: string;
	let browser: Browser;
	let log = '';

	beforeAll(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-clone-'));
		// The checkout's code, without its data: what a fresh clone after `npm install` holds.
		for (const entry of readdirSync(ROOT)) {
			if (['data', 'tiles', 'test-results', '.git'].includes(entry)) continue;
			symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
		}
		const { port, env } = await portFor();
		// A member of staff, the README's way; before the server, as PGlite admits one process.
		const user = spawnSync(
			'npm',
			['run', 'user', '--', 'add', STAFF, '--role', 'beheerder', '--name', 'Bea Beheer'],
			{
				cwd: dir,
				env: cleanEnv({ ...env, WIJKKAART_PASSWORD: PASSWORD }),
				encoding: 'utf8'
			}
		);
		expect(user.status, user.stderr + user.stdout).toBe(0);
		console.log(`npm run user: klaar; npm start in ${dir}`);
		proc = spawn('npm', ['start'], {
			cwd: dir,
			env: cleanEnv(env),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true
		});
		proc.stdout!.on('data', (d) => (log += d));
		proc.stderr!.on('data', (d) => (log += d));
		base = `http://localhost:${port}`;
		// A fresh start makes the demo store and the area tiles: minutes on a busy 2-core machine.
		const deadline = Date.now() + 540_000;
		for (;;) {
			if (proc.exitCode !== null) throw new Error(`npm start stopte (${proc.exitCode}):\n${log}`);
			if (/Wijkkaart draait op/.test(log)) break;
			if (Date.now() > deadline) throw new Error(`npm start werd niet klaar:\n${log}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		browser = await launchBrowser();
	}, 600_000);

	afterAll(async () => {
		await browser?.close();
		if (proc?.exitCode === null) {
			// npm runs tsx runs node: the whole group, which this test started.
			process.kill(-proc.pid!, 'SIGTERM');
			await new Promise((r) => proc.once('exit', r));
		}
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	async function fresh(): Promise<Page> {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
		// The first pages of a fresh start are slow on a busy machine.
		page.setDefaultTimeout(90_000);
		page.setDefaultNavigationTimeout(90_000);
		return page;
	}

	it('says where it runs: the README address, on plain http', () => {
		expect(log).toContain(`Wijkkaart draait op ${base}`);
	});

	it('takes a melding from the form and gives a tracking link on this origin', async () => {
		const page = await fresh();
		await page.goto(`${base}/melden`, { waitUntil: 'networkidle', timeout: 120_000 });
		await page.selectOption('#f-category', { index: 1 });
		await page.fill('#f-description', 'Losliggende stoeptegel bij de ingang');
		// The place: a street of the demo index, chosen from the offered hits.
		await page.fill('#f-address', 'laan');
		await page.locator('button.choice').first().click();
		await Promise.all([
			page.waitForURL(/\/volg\/[A-Za-z0-9_-]{43}\?nieuw=1$/, { timeout: 30_000 }),
			page.click('main form button[type=submit]:not([name])')
		]);
		expect(await page.getByTestId('tracking-number').textContent()).toMatch(/^M-\d{4}-\d{6}$/);
		expect(await page.content()).not.toContain('Cross-site POST form submissions are forbidden');
		await page.close();
	});

	it('takes an initiative proposal', async () => {
		const page = await fresh();
		await page.goto(`${base}/voorstel`, { waitUntil: 'networkidle' });
		await page.fill('#f-title', 'Geveltuinen in onze straat');
		await page.fill('#f-description', 'Samen met de buren groen maken');
		await page.selectOption('#f-theme', { index: 1 });
		await page.selectOption('#f-area', { index: 1 });
		await page.fill('#f-group', 'Buurtgroep Linden');
		await Promise.all([
			page.waitForURL(/\/volg\/[A-Za-z0-9_-]{43}\?nieuw=1$/, { timeout: 30_000 }),
			page.click('main form button[type=submit]:not([name])')
		]);
		expect(await page.content()).not.toContain('Cross-site POST form submissions are forbidden');
		await page.close();
	});

	it('signs a member of staff in', async () => {
		const page = await fresh();
		await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
		await page.fill('#login-email', STAFF);
		await page.fill('#login-password', PASSWORD);
		await Promise.all([
			page.waitForURL(/\/beheer/, { timeout: 30_000 }),
			page.click('main form button[type=submit]')
		]);
		expect(await page.locator('header .staff').innerText()).toContain('Bea Beheer');
		await page.close();
	});

	it('puts this origin, not https://localhost, in feeds and meeting QR links', async () => {
		const [, wijk] = /href="\/wijk\/([^"?#]+)"/.exec(await (await fetch(`${base}/`)).text()) ?? [];
		expect(wijk).toBeTruthy();
		const atom = await (await fetch(`${base}/feeds/wijk/${wijk}.atom`)).text();
		expect(atom).toContain(`${base}/item/`);
		expect(atom).not.toContain('https://localhost');
		const ics = await (
			await fetch(`${base}/api/bijeenkomsten.ics${wijk ? `?wijk=${wijk}` : ''}`)
		).text();
		expect(ics).not.toContain('https://localhost');
		const overleg = await (await fetch(`${base}/wijk/${wijk}/overleg`)).text();
		expect(overleg).toContain(`data-url="${base}/`);
		expect(overleg).not.toContain('https://localhost');
	});
});
