import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';

/** Directive name → its sources, from a Content-Security-Policy header. */
function directives(csp: string): Map<string, string[]> {
	return new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((parts) => parts[0])
			.map(([name, ...sources]) => [name, sources])
	);
}

interface Violation {
	directive: string;
	blocked: string;
}

/**
 * The headers a municipality's security officer checks first, on every kind of response, and
 * proof in chromium that the policy lets the map run while an injected inline script does not.
 */
describe(`security headers and the Content-Security-Policy (${storeName})`, () => {
	let portal: Portal;
	let pages: string[];
	let others: string[];

	beforeAll(async () => {
		// The demo municipality, as `npm start` seeds it into an empty store.
		portal = await openPortal(async (store, env) => {
			await seedDemoIfEmpty(store.db);
			await buildAreaTiles(store.db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
		});
		const url = portal.server.url;
		const wijk = (
			(await (await fetch(`${url}/api/areas?level=wijk`)).json()) as {
				features: { properties: { code: string } }[];
			}
		).features[0].properties.code;
		const item = (
			(await (await fetch(`${url}/api/items?limit=1`)).json()) as { features: { id: number }[] }
		).features[0].id;
		pages = [
			'/',
			`/wijk/${wijk}`,
			`/wijk/${wijk}/overleg`,
			`/item/${item}`,
			'/melden',
			'/voorstel',
			'/in-de-buurt',
			'/analyse',
			'/login',
			'/bestaat-niet'
		];
		others = [
			'/api/items?limit=1',
			'/api/themes',
			`/api/areas/${wijk}`,
			'/healthz',
			'/tiles/areas.pmtiles',
			`/feeds/wijk/${wijk}.atom`,
			'/api/bijeenkomsten.ics'
		];
	}, 180_000);
	afterAll(() => portal?.close());

	it('sends a policy on every page that allows only hashed inline scripts, workers from self or blob:, and no framing', async () => {
		for (const path of pages) {
			const res = await fetch(portal.server.url + path);
			const csp = res.headers.get('content-security-policy');
			expect(csp, path).toBeTruthy();
			const d = directives(csp!);
			const scripts = d.get('script-src') ?? [];
			expect(scripts, path).toContain("'self'");
			expect(
				scripts.filter((s) => s !== "'self'" && !/^'sha256-[A-Za-z0-9+/=]+'$/.test(s)),
				path
			).toEqual([]);
			expect(d.get('worker-src'), path).toEqual(expect.arrayContaining(["'self'", 'blob:']));
			expect(d.get('frame-ancestors'), path).toEqual(["'none'"]);
			expect(d.get('object-src'), path).toEqual(["'none'"]);
			expect(d.get('default-src'), path).toEqual(["'self'"]);
		}
	});

	it('marks every response nosniff with a strict referrer policy, and sends no HSTS over plain http', async () => {
		for (const path of [...pages, ...others]) {
			const res = await fetch(portal.server.url + path);
			await res.arrayBuffer();
			expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
			expect(res.headers.get('strict-transport-security'), path).toBeNull();
		}
	});

	it('runs the map under the policy without a violation, and blocks an injected inline script', async () => {
		const page = portal.page;
		await page.addInitScript(`window.__violations = [];
			document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));`);
		await page.goto(portal.server.url + '/');
		await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
		// MapLibre drew the areas in its worker: the policy let it run.
		const drawn = await page.evaluate(`window.__wijkkaartMap.queryRenderedFeatures().length`);
		expect(drawn).toBeGreaterThan(0);
		expect(await page.evaluate('window.__violations')).toEqual([]);

		await page.evaluate(
			`(() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1'; document.body.append(s); })()`
		);
		await expect.poll(() => page.evaluate('window.__violations.length')).toBe(1);
		expect(await page.evaluate('window.__pwned')).toBeUndefined();
		const [violation] = (await page.evaluate('window.__violations')) as Violation[];
		expect(violation).toEqual({ directive: 'script-src-elem', blocked: 'inline' });
	});

	it('refuses to be shown inside a frame, even on its own origin', async () => {
		const framer = await portal.browser.newPage();
		try {
			// A page on the portal's own origin, served by interception: only frame-ancestors stops it.
			await framer.route(`${portal.server.url}/__framer`, (route) =>
				route.fulfill({
					contentType: 'text/html',
					body: `<!doctype html><iframe src="/" width="800" height="600"></iframe>`
				})
			);
			await framer.goto(`${portal.server.url}/__framer`);
			await expect.poll(() => framer.frames().length).toBe(2);
			const inner = framer.frames()[1];
			// Chromium replaces a frame refused by frame-ancestors with its error page.
			await expect.poll(() => inner.url(), { timeout: 15_000 }).toMatch(/^chrome-error:/);
		} finally {
			await framer.close();
		}
	});
});
