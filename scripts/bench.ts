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
import type { StoreKind } from '../src/lib/server/bench/store.ts';

const { values } = parseArgs({
	options: {
		sizes: { type: 'string', default: '10000,100000,1000000' },
		others: { type: 'string', default: '50000' },
		reps: { type: 'string', default: '200' },
		national: { type: 'string', default: '15000' },
		stores: { type: 'string' },
		'no-http': { type: 'boolean', default: false }
	}
});
const sizes = values.sizes!.split(',').map(Number);
const count = (v: string) => (/^\d+$/.test(v) ? Number(v) : NaN);
const [others, reps, national] = [count(values.others!), count(values.reps!), count(values.national!)];
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) {
	console.error('Fout: --sizes is een lijst van gehele aantallen meldingen (≥ 100), bijv. 10000,100000,1000000');
	process.exit(2);
}
if ([others, reps, national].some(Number.isNaN) || reps < 1) {
	console.error('Fout: --others, --reps en --national zijn gehele getallen (--reps ≥ 1; --national 0 slaat de nationale tegels over)');
	process.exit(2);
}
const url = process.env.DATABASE_URL?.trim() || undefined;
const stores = (values.stores?.split(',') ?? (url ? ['pglite', 'postgres'] : ['pglite'])) as StoreKind[];
if (stores.some((s) => s !== 'pglite' && s !== 'postgres') || (stores.includes('postgres') && !url)) {
	console.error('Fout: --stores is pglite, postgres of pglite,postgres; postgres vraagt DATABASE_URL');
	process.exit(2);
}
const result = await runBench({
	sizes,
	others,
	reps,
	nationalBuurten: national,
	stores,
	postgresUrl: url,
	http: !values['no-http'],
	browser: !values['no-http'],
	log: (l) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`)
});
console.log('\n' + formatTable(result));
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${result.startedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(result, null, 2));
console.log(`\nresultaten: ${file}`);
// A browser whose connection broke mid-run may leave its process behind; the figures are written,
// so the command ends here rather than waiting on it.
process.exit(0);
