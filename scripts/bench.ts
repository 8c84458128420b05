/**
 * `npm run bench [-- --sizes 10000,100000,1000000 --others 50000 --reps 200 --national 15000]`:
 * (`--stores postgres` measures one store only; `--no-http` leaves out the HTTP, browser and load
 * legs, for quick store-side figures.)
 * reproducible figures on this machine, on PGlite and, when DATABASE_URL is set, on PostgreSQL;
 * over HTTP too when the production build exists (then also the browser against a naive
 * one-GeoJSON page, the bundle and a bounded load test). One store per kind grows in place
 * through the sizes. Writes bench/results/<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatTable, runBench } from '../src/lib/server/bench/run.ts';
import { hammerBench } from '../src/lib/server/bench/hammer.ts';
import { existsSync } from 'node:fs';
import type { StoreKind } from '../src/lib/server/bench/store.ts';
import { config } from '../src/lib/server/config.ts';

const { values } = parseArgs({
	options: {
		sizes: { type: 'string', default: '10000,100000,1000000' },
		others: { type: 'string', default: '50000' },
		reps: { type: 'string', default: '200' },
		national: { type: 'string', default: '15000' },
		stores: { type: 'string' },
		'no-http': { type: 'boolean', default: false },
		// Cheap requests while the radius feed is hammered (hammer.ts): how many meldingen, how long.
		'hammer-items': { type: 'string', default: '20000' },
		'hammer-seconds': { type: 'string', default: '20' },
		'only-hammer': { type: 'boolean', default: false },
		// Some of the hammer's settings only, e.g. in-thread,standaard (PGlite in the thread vs worker).
		'hammer-settings': { type: 'string' }
	}
});
const sizes = values.sizes!.split(',').map(Number);
const count = (v: string) => (/^\d+$/.test(v) ? Number(v) : NaN);
const [others, reps, national] = [
	count(values.others!),
	count(values.reps!),
	count(values.national!)
];
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) {
	console.error(
		'Fout: --sizes is een lijst van gehele aantallen meldingen (≥ 100), bijv. 10000,100000,1000000'
	);
	process.exit(2);
}
if ([others, reps, national].some(Number.isNaN) || reps < 1) {
	console.error(
		'Fout: --others, --reps en --national zijn gehele getallen (--reps ≥ 1; --national 0 slaat de nationale tegels over)'
	);
	process.exit(2);
}
const url = config().databaseUrl ?? undefined;
const stores = (values.stores?.split(',') ??
	(url ? ['pglite', 'postgres'] : ['pglite'])) as StoreKind[];
if (
	stores.some((s) => s !== 'pglite' && s !== 'postgres') ||
	(stores.includes('postgres') && !url)
) {
	console.error(
		'Fout: --stores is pglite, postgres of pglite,postgres; postgres vraagt DATABASE_URL'
	);
	process.exit(2);
}
const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`);
mkdirSync('bench/results', { recursive: true });
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
if (!values['only-hammer']) {
	const result = await runBench({
		sizes,
		others,
		reps,
		nationalBuurten: national,
		stores,
		postgresUrl: url,
		http: !values['no-http'],
		browser: !values['no-http'],
		log
	});
	console.log('\n' + formatTable(result));
	const file = `bench/results/${result.startedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`;
	writeFileSync(file, JSON.stringify(result, null, 2));
	console.log(`\nresultaten: ${file}`);
}
if (!values['no-http'] && existsSync('build/index.js')) {
	const hammer = await hammerBench({
		stores,
		postgresUrl: url,
		meldingen: count(values['hammer-items']!),
		seconds: count(values['hammer-seconds']!),
		settings: values['hammer-settings']?.split(','),
		log
	});
	console.log('\nTijdens 8 clients op /feeds/punt.atom?r=1000 (p50 / p95 in ms):');
	console.log(
		'store     instelling   hamer (2xx/geweigerd)   /healthz p50/p95 (n)   /api/items p50/p95 (n)   zonder antwoord'
	);
	for (const h of hammer) {
		console.log(
			`${h.store.padEnd(9)} ${h.setting.padEnd(12)} ${`${h.hammer.ok}/${h.hammer.refused}`.padEnd(23)} ${`${h.healthz.p50} / ${h.healthz.p95} (${h.healthz.n})`.padEnd(22)} ${`${h.items_.p50} / ${h.items_.p95} (${h.items_.n})`.padEnd(24)} ${h.failed}`
		);
	}
	const file = `bench/results/${stamp}-hamer.json`;
	writeFileSync(file, JSON.stringify(hammer, null, 2));
	console.log(`\nresultaten: ${file}`);
}
// A browser whose connection broke mid-run may leave its process behind; the figures are written,
// so the command ends here rather than waiting on it.
process.exit(0);
