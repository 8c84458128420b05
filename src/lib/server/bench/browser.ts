import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FeatureCollection } from 'geojson';
import { ROOT } from './serve-build.ts';
import { percentile, round } from './stats.ts';
import { config } from '../config.ts';

/** Debian's chromium; never a downloaded browser. Flags keep it off the (closed) network. */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: config().chromiumPath,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--enable-unsafe-swiftshader'
		]
	});
}

export interface BrowserFigures {
	/** Navigation to the first idle map with its items drawn, portal vs one-GeoJSON baseline (ms). */
	firstIdle: number;
	/** null when the naive page did not get there (its tab crashed or timed out: see baselineError). */
	baselineFirstIdle: number | null;
	/** Theme filter change to the next idle map, median over the toggles (ms). */
	filterIdleMedian: number;
	baselineFilterIdleMedian: number | null;
	baselineError: string | null;
}

/**
 * In-page script, as text: tsx compiles with keepNames, and a function handed to page.evaluate
 * would then call a `__name` helper the page does not have.
 */
const SETTLED = `(previous, timeoutMs) => new Promise((resolve, reject) => {
	const give = setTimeout(() => reject(new Error('de kaart werd niet idle binnen ' + timeoutMs + ' ms')), timeoutMs);
	const check = () => {
		const map = window.__wijkkaartMap;
		const attr = document.querySelector('[data-items-url]')?.getAttribute('data-items-url');
		const url = attr ?? (window.__ready ? 'baseline' : '');
		if (map && url && url !== previous && map.loaded() && map.areTilesLoaded() && !map.isMoving()) {
			clearTimeout(give);
			resolve(performance.now());
		}
		else requestAnimationFrame(check);
	};
	check();
})`;

/** Resolves, inside the page, with performance.now() once the map has items and nothing left to draw. */
function settled(page: Page, itemsUrlNot = '', timeoutMs = 120_000): Promise<number> {
	// A map that never settles (a dead server, a broken page) must fail the run, not hang it.
	return page.evaluate(
		`(${SETTLED})(${JSON.stringify(itemsUrlNot)}, ${timeoutMs})`
	) as Promise<number>;
}

/**
 * The portal's home page against a naive page that loads every item as one GeoJSON source
 * (clustered, as the portal once did), both in headless chromium on the same server, data and
 * map library. The baseline is served by request interception, so it is no part of the product.
 */
export async function measureBrowser(
	serverUrl: string,
	items: FeatureCollection,
	toggles = 5
): Promise<BrowserFigures> {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
		await page.goto(`${serverUrl}/`, { waitUntil: 'commit' });
		const firstIdle = await settled(page);
		const filterTimes: number[] = [];
		const box = page.locator('fieldset input[type="checkbox"][name="theme"]').first();
		// From the moment the pointer goes down on the box, as the person clicking it experiences it;
		// the driver's own work before that (actionability checks, round trips) is no part of it.
		await page.evaluate(
			`document.addEventListener('pointerdown', (e) => (window.__pressed = e.timeStamp), true)`
		);
		for (let i = 0; i < toggles; i++) {
			const before = (await page.locator('[data-items-url]').getAttribute('data-items-url')) ?? '';
			// Watched from before the press: a watch started once the click returns would add the
			// driver's round trip to a map that settled meanwhile.
			const watch = settled(page, before);
			await box.click();
			const done = await watch;
			filterTimes.push(done - ((await page.evaluate('window.__pressed')) as number));
		}

		const portal = {
			firstIdle: round(firstIdle, 0),
			filterIdleMedian: round(percentile(filterTimes, 50), 0)
		};
		try {
			return {
				...portal,
				...(await measureBaseline(browser, items, toggles)),
				baselineError: null
			};
		} catch (err) {
			// Loading everything at once is what the naive page does; at scale its tab may give up.
			return {
				...portal,
				baselineFirstIdle: null,
				baselineFilterIdleMedian: null,
				baselineError: (err as Error).message.split('\n')[0]
			};
		}
	} finally {
		await browser.close();
	}
}

async function measureBaseline(
	browser: Browser,
	items: FeatureCollection,
	toggles: number
): Promise<{ baselineFirstIdle: number; baselineFilterIdleMedian: number }> {
	const dist = path.join(ROOT, 'node_modules/maplibre-gl/dist');
	// The naive page comes from its own loopback server, not through request interception: every
	// item in one body is ~100 MB at 150k items, more than the DevTools pipe carries (the browser
	// connection breaks), and an intercepted page may not fetch from loopback.
	const body = Buffer.from(JSON.stringify(items));
	const naive = http.createServer((req, res) => {
		const file = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
		const script = path.join(dist, file);
		if (file === 'index.html')
			res.writeHead(200, { 'content-type': 'text/html' }).end(BASELINE_HTML);
		else if (file === 'items.geojson')
			res.writeHead(200, { 'content-type': 'application/geo+json' }).end(body);
		else if (file.endsWith('.mjs') && existsSync(script))
			res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(script));
		else res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => naive.listen(0, '127.0.0.1', resolve));
	try {
		const baseline = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		await baseline.goto(
			`http://127.0.0.1:${(naive.address() as AddressInfo).port}/__baseline/index.html`,
			{ waitUntil: 'commit' }
		);
		const baselineFirstIdle = await settled(baseline);
		const baselineFilter: number[] = [];
		for (let i = 0; i < toggles; i++) {
			const filtered = baseline.evaluate(`window.filterTheme(${i})`) as Promise<number>;
			baselineFilter.push(
				await Promise.race([
					filtered,
					new Promise<never>((_, reject) =>
						setTimeout(
							() => reject(new Error('de naïeve pagina werd niet idle na het filter')),
							120_000
						).unref()
					)
				])
			);
		}
		return {
			baselineFirstIdle: round(baselineFirstIdle, 0),
			baselineFilterIdleMedian: round(percentile(baselineFilter, 50), 0)
		};
	} finally {
		naive.close();
		naive.closeAllConnections();
	}
}

const BASELINE_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>html,body,#m{margin:0;height:100%}</style></head>
<body><div id="m"></div><script type="module">
import * as maplibregl from '/__baseline/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/__baseline/maplibre-gl-worker.mjs');
const all = await (await fetch('/__baseline/items.geojson')).json();
const bbox = all.features.reduce((b, f) => { const [x, y] = f.geometry.type === 'Point' ? f.geometry.coordinates : [b[0], b[1]];
  return [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)]; }, [180, 90, -180, -90]);
const map = new maplibregl.Map({ container: 'm', bounds: [[bbox[0], bbox[1]], [bbox[2], bbox[3]]],
  style: { version: 8, sources: { items: { type: 'geojson', data: all, cluster: true, clusterMaxZoom: 15, clusterRadius: 40 } },
    layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f4f0' } },
      { id: 'c', type: 'circle', source: 'items', paint: { 'circle-radius': ['case', ['has', 'point_count'], 16, 5], 'circle-color': '#00457c' } }] } });
window.__wijkkaartMap = map;
window.__ready = 1;
const themes = [...new Set(all.features.map((f) => f.properties.theme))];
window.filterTheme = (k) => new Promise((resolve) => {
  const t0 = performance.now();
  const theme = themes[k % themes.length];
  map.getSource('items').setData({ type: 'FeatureCollection', features: all.features.filter((f) => f.properties.theme === theme) });
  const check = () => (map.loaded() && map.areTilesLoaded() ? resolve(performance.now() - t0) : requestAnimationFrame(check));
  map.once('idle', check);
});
</script></body></html>`;

export interface BundleFigures {
	/** Gzipped bytes of the JavaScript the home page loads, the app's own and MapLibre's. */
	appGzip: number;
	maplibreGzip: number;
}

/** Gzipped size of the built client JavaScript the home page fetches, split by origin. */
export async function measureBundle(serverUrl: string): Promise<BundleFigures> {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage();
		const files = new Set<string>();
		page.on('request', (r) => {
			const u = new URL(r.url());
			if (u.pathname.startsWith('/_app/') && /\.m?js$/.test(u.pathname)) files.add(u.pathname);
		});
		await page.goto(`${serverUrl}/`, { waitUntil: 'commit' });
		// The same settled map as the browser figures: MapLibre is loaded only by then.
		await settled(page);
		let appGzip = 0;
		let maplibreGzip = 0;
		const client = path.join(ROOT, 'build/client');
		// Vite's manifest says which output file came from which package.
		const manifest = JSON.parse(
			readFileSync(path.join(ROOT, '.svelte-kit/output/client/.vite/manifest.json'), 'utf8')
		) as Record<string, { file: string }>;
		const fromMaplibre = new Set(
			Object.entries(manifest)
				.filter(([src]) => src.startsWith('node_modules/maplibre-gl/dist/maplibre-gl'))
				.map(([, v]) => `/${v.file}`)
		);
		for (const f of files) {
			const file = path.join(client, f);
			if (!existsSync(file)) continue;
			const size = gzipSync(readFileSync(file), { level: 9 }).byteLength;
			if (fromMaplibre.has(f)) maplibreGzip += size;
			else appGzip += size;
		}
		return { appGzip, maplibreGzip };
	} finally {
		await browser.close();
	}
}
