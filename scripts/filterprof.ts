/**
 * `tsx scripts/filterprof.ts [--dir /tmp/filterprof] [--toggles 12] [--trace]`: where a theme
 * filter change on the home map spends its time, at the benchmark's scale (100k meldingen, 50k
 * other items, Utrecht areas). The store is made once in --dir and kept, so the browser leg can be
 * repeated against a new build without generating it again. Needs `npm run build`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { Page } from 'playwright-core';
import { openPglite } from '../src/lib/server/db/pglite.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import {
	generateUtrechtFixtures,
	readUtrechtData,
	sharedUtrechtDir
} from '../src/lib/server/demo/fixtures-utrecht.ts';
import { writeGenerated } from '../src/lib/server/demo/write-generated.ts';
import { importAreasFromGeoJSON } from '../src/lib/server/import/areas.ts';
import { taxonomy } from '../src/lib/server/items/taxonomy.ts';
import { buildAreaTiles } from '../src/lib/server/tiles/build.ts';
import { launchBrowser } from '../src/lib/server/bench/browser.ts';
import { startServer } from '../src/lib/server/bench/serve-build.ts';
import { percentile } from '../src/lib/server/bench/stats.ts';

const { values } = parseArgs({
	options: {
		dir: { type: 'string', default: '/tmp/filterprof' },
		toggles: { type: 'string', default: '12' },
		meldingen: { type: 'string', default: '100000' },
		others: { type: 'string', default: '50000' },
		trace: { type: 'boolean', default: false },
		frames: { type: 'boolean', default: false },
		cpu: { type: 'boolean', default: false },
		/** A checkout whose build/ to serve (e.g. another branch's), instead of this one. */
		root: { type: 'string' }
	}
});
const dir = values.dir!;
const env = {
	WIJKKAART_DATA_DIR: path.join(dir, 'store'),
	DATABASE_URL: '',
	WIJKKAART_TILES_DIR: path.join(dir, 'tiles')
};

if (!existsSync(path.join(dir, 'ready'))) {
	mkdirSync(env.WIJKKAART_TILES_DIR, { recursive: true });
	const t = performance.now();
	const db = await openPglite(env.WIJKKAART_DATA_DIR);
	await migrate(db);
	const src = sharedUtrechtDir();
	const read = (f: string) =>
		JSON.parse(readFileSync(path.join(src, f), 'utf8')) as FeatureCollection<MultiPolygon>;
	await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
	await importAreasFromGeoJSON(db, read('buurt.geojson'), { level: 'buurt', parentLevel: 'wijk' });
	await buildAreaTiles(db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
	const others = Number(values.others);
	// The benchmark's seed and split, so the view holds what `npm run bench` measures.
	const generated = generateUtrechtFixtures(readUtrechtData(src), {
		meldingen: Number(values.meldingen),
		seed: 30_0344,
		tax: taxonomy(),
		initiatieven: Math.round(others * 0.4),
		projecten: Math.round(others * 0.2),
		bijeenkomsten: others - Math.round(others * 0.4) - Math.round(others * 0.2)
	});
	await writeGenerated(db, generated, taxonomy(), 'bench');
	await db.exec('ANALYZE');
	await db.close();
	writeFileSync(path.join(dir, 'ready'), new Date().toISOString());
	console.log(`store in ${dir} in ${Math.round(performance.now() - t)} ms`);
}

/** In-page instrumentation, as text (tsx keepNames would add a __name helper to a function). */
const PROBE = `(() => {
	const map = window.__wijkkaartMap;
	const P = (window.__prof = { ev: [], t0: 0 });
	const log = (k, extra) => P.ev.push({ k, t: performance.now(), ...(extra || {}) });
	document.addEventListener('pointerdown', (e) => { P.ev = []; P.t0 = e.timeStamp; }, true);
	document.addEventListener('change', () => log('change'), true);
	for (const name of ['setFilter', 'setLayoutProperty', 'setPaintProperty', 'setGlobalStateProperty']) {
		const orig = map[name];
		if (!orig) continue;
		map[name] = function (...args) { const t = performance.now(); const r = orig.apply(this, args); log(name, { a: String(args[0]) + ' ' + String(args[1]).slice(0, 20), d: performance.now() - t }); return r; };
	}
	for (const id of ['items-points', 'items-shapes', 'items-focus']) {
		const s = map.getSource(id);
		const orig = s.setData;
		s.setData = function (...args) { log('setData', { a: id + ' ' + (args[0].features ? args[0].features.length : '?') }); return orig.apply(this, args); };
	}
	const ph = history.pushState, rh = history.replaceState;
	history.pushState = function (...a) { log('pushState'); return ph.apply(this, a); };
	history.replaceState = function (...a) { log('replaceState'); return rh.apply(this, a); };
	map.on('styleimagemissing', (e) => log('imagemissing', { a: e.id }));
	map.on('sourcedata', (e) => { if (e.tile && e.sourceId) log('tile', { a: e.sourceId }); });
	map.on('render', () => log('render', { a: [map.loaded() ? 'L' : 'l', map.areTilesLoaded() ? 'T' : 't', map.isMoving() ? 'M' : 'm', map._styleDirty ? 'S' : '', map._sourcesDirty ? 'D' : '', map._placementDirty ? 'P' : '', map.style && map.style.loaded() ? '' : 'stylenotloaded'].join('') }));
	map.on('idle', () => log('idle'));
	new MutationObserver(() => log('itemsUrl')).observe(document.querySelector('[data-items-url]'), { attributes: true, attributeFilter: ['data-items-url'] });
	const of = window.fetch;
	window.fetch = function (...a) { log('fetch', { a: String(a[0]).slice(0, 60) }); return of.apply(this, a); };
})()`;

const SETTLED = `(previous) => new Promise((resolve, reject) => {
	const give = setTimeout(() => reject(new Error('not idle')), 60000);
	const check = () => {
		const map = window.__wijkkaartMap;
		const url = document.querySelector('[data-items-url]')?.getAttribute('data-items-url');
		if (map && url && url !== previous && map.loaded() && map.areTilesLoaded() && !map.isMoving()) { clearTimeout(give); resolve(performance.now()); }
		else requestAnimationFrame(check);
	};
	check();
})`;
const settled = (page: Page, previous = '') =>
	page.evaluate(`(${SETTLED})(${JSON.stringify(previous)})`) as Promise<number>;

interface CpuProfile {
	nodes: {
		id: number;
		callFrame: { functionName: string; url: string; lineNumber: number };
		children?: number[];
	}[];
	samples: number[];
	timeDeltas: number[];
}

/** Main-thread self time per function over one toggle (sampled), the top entries. */
function selfTimes(p: CpuProfile) {
	const byId = new Map(p.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const self = new Map<string, number>();
	const incl = new Map<string, number>();
	p.samples.forEach((id, i) => {
		const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
		const n = byId.get(id)!;
		const key = (m: typeof n) =>
			`${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.split('/').pop()}:${m.callFrame.lineNumber}`;
		self.set(key(n), (self.get(key(n)) ?? 0) + dt);
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const k = key(byId.get(cur)!);
			if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + dt);
			seen.add(k);
		}
	});
	const top = (m: Map<string, number>, n: number) =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([k, v]) => `    ${v.toFixed(1).padStart(7)} ${k}`)
			.join('\n');
	console.log('  self:\n' + top(self, 15) + '\n  inclusive:\n' + top(incl, 30));
}

interface Ev {
	k: string;
	t: number;
	a?: string;
	d?: number;
}

const server = await startServer(env, 60_000, values.root);
const browser = await launchBrowser();
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
	await page.goto(`${server.url}/`, { waitUntil: 'commit' });
	const first = await settled(page);
	console.log(`first idle ${Math.round(first)} ms`);
	// What the view holds: tiles per source and features per tile.
	const view = await page.evaluate(`(() => {
		const map = window.__wijkkaartMap;
		const sc = map.style.tileManagers ? map.style.tileManagers['items-tiles'] : map.style.sourceCaches['items-tiles'];
		const ids = sc.getIds ? sc.getIds() : Object.keys(sc._tiles);
		const feats = map.querySourceFeatures('items-tiles', { sourceLayer: 'items' }).length;
		return { zoom: map.getZoom(), tiles: ids.length, sourceFeatures: feats, rendered: map.queryRenderedFeatures({ layers: (document.querySelector('[data-items-layers]')?.getAttribute('data-items-layers') || 'items-tile-cells items-tile-points').split(' ') }).length, layers: map.getStyle().layers.length,
			mode: document.querySelector('[data-items-mode]').getAttribute('data-items-mode'), canvas: [map.getCanvas().width, map.getCanvas().height] };
	})()`);
	console.log('view', JSON.stringify(view));
	if (values.frames) {
		// What one repaint of the settled map costs, with some layers hidden.
		console.log(
			await page.evaluate(`(async () => {
			const map = window.__wijkkaartMap;
			const once = () => new Promise((r) => { const t = performance.now(); map.once('render', () => requestAnimationFrame(() => r(performance.now() - t))); map.triggerRepaint(); });
			const med = async () => { const v = []; for (let i = 0; i < 8; i++) v.push(await once()); v.sort((a, b) => a - b); return Math.round(v[4]); };
			const out = { all: await med() };
			const layers = map.getStyle().layers.map((l) => l.id);
			const hide = async (name, ids) => { const vis = ids.map((id) => map.getLayoutProperty(id, 'visibility')); ids.forEach((id) => map.setLayoutProperty(id, 'visibility', 'none'));
				await new Promise((r) => map.once('idle', r)); out[name] = await med(); ids.forEach((id, i) => map.setLayoutProperty(id, 'visibility', vis[i] || 'visible')); await new Promise((r) => map.once('idle', r)); };
			await hide('noItems', layers.filter((id) => id.startsWith('items-')));
			await hide('noAreas', layers.filter((id) => !id.startsWith('items-')));
			await hide('nothing', layers);
			return JSON.stringify({ layers, ...out });
		})()`)
		);
	}
	await page.evaluate(PROBE);
	const box = page.locator('fieldset input[type="checkbox"][name="theme"]').first();
	const totals: number[] = [];
	const phases: Record<string, number[]> = {};
	const add = (k: string, v: number) => (phases[k] ??= []).push(v);
	const toggles = Number(values.toggles);
	const cdp = values.trace || values.cpu ? await page.context().newCDPSession(page) : null;
	for (let i = 0; i < toggles; i++) {
		const before = (await page.locator('[data-items-url]').getAttribute('data-items-url')) ?? '';
		const tracing = cdp && i === toggles - 1;
		if (tracing) {
			await cdp.send('Tracing.start', {
				categories:
					'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,blink.user_timing',
				transferMode: 'ReturnAsStream'
			});
		}
		const profiling = values.cpu && cdp && i >= toggles - 3;
		if (profiling) {
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
			await cdp.send('Profiler.start');
		}
		// Watching from before the press: started after the click returns, the watch would add the
		// driver's round trip to a map that settled meanwhile.
		const watch = settled(page, before);
		await box.click();
		const done = await watch;
		if (profiling) {
			const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
			selfTimes(profile);
		}
		const { ev, t0 } = (await page.evaluate('window.__prof')) as { ev: Ev[]; t0: number };
		const total = done - t0;
		totals.push(total);
		const first = (k: string) => ev.find((e) => e.k === k)?.t;
		const last = (k: string) => ev.filter((e) => e.k === k).at(-1)?.t;
		const rel = (t: number | undefined) => (t === undefined ? NaN : Math.round(t - t0));
		const tiles = ev.filter((e) => e.k === 'tile');
		const renders = ev.filter((e) => e.k === 'render');
		const imgs = ev.filter((e) => e.k === 'imagemissing');
		const byTileSource: Record<string, number> = {};
		for (const e of tiles) byTileSource[e.a!] = (byTileSource[e.a!] ?? 0) + 1;
		const firstMapCall = ev.find(
			(e) =>
				e.k === 'setFilter' ||
				e.k === 'setLayoutProperty' ||
				e.k === 'setGlobalStateProperty' ||
				e.k === 'setPaintProperty'
		)?.t;
		add('total', total);
		add('pointerdown→change', rel(first('change')));
		add('pointerdown→map call', rel(firstMapCall));
		add('pointerdown→pushState', rel(first('pushState')));
		add('pointerdown→last tile', rel(last('tile')));
		add('pointerdown→last render', rel(last('render')));
		add('renders', renders.length);
		add('tiles', tiles.length);
		add('images', imgs.length);
		console.log(
			`#${i} total ${Math.round(total)} ms; change ${rel(first('change'))}, map call ${rel(firstMapCall)}, pushState ${rel(first('pushState'))}, ` +
				`tiles ${JSON.stringify(byTileSource)} first ${rel(first('tile'))} last ${rel(last('tile'))}, images ${imgs.length}, renders ${renders.length} (last ${rel(last('render'))}), ` +
				`setData ${ev
					.filter((e) => e.k === 'setData')
					.map((e) => e.a)
					.join('|')}, fetch ${ev
					.filter((e) => e.k === 'fetch')
					.map((e) => rel(e.t) + ':' + e.a)
					.join(' ')}`
		);
		if (i < 2)
			console.log(
				ev
					.filter((e) => e.k !== 'setLayoutProperty')
					.map(
						(e) =>
							`${rel(e.t)} ${e.k} ${e.a ?? ''} ${e.d !== undefined ? e.d.toFixed(1) + 'ms' : ''}`
					)
					.join('\n')
			);
		if (tracing) {
			const chunks: string[] = [];
			await new Promise<void>((resolve) => {
				cdp.once('Tracing.tracingComplete', async ({ stream }: { stream?: string }) => {
					for (;;) {
						const r = (await cdp.send('IO.read', { handle: stream! })) as {
							data: string;
							eof: boolean;
						};
						chunks.push(r.data);
						if (r.eof) break;
					}
					resolve();
				});
				void cdp.send('Tracing.end');
			});
			const file = path.join(dir, `trace-${Date.now()}.json`);
			writeFileSync(file, chunks.join(''));
			console.log(`trace: ${file}`);
		}
	}
	console.log('\nmedian (p25–p75) over', toggles, 'toggles:');
	for (const [k, v] of Object.entries(phases)) {
		const ok = v.filter((x) => !Number.isNaN(x));
		if (ok.length)
			console.log(
				`  ${k.padEnd(26)} ${Math.round(percentile(ok, 50))}  (${Math.round(percentile(ok, 25))}–${Math.round(percentile(ok, 75))})`
			);
	}
} finally {
	await browser.close();
	await server.stop();
}
