/**
 * `npm run bench [-- --sizes 10000,100000 --reps 200]`: reproducible figures on this machine,
 * on PGlite and, when DATABASE_URL is set, on PostgreSQL; over HTTP too when the production build
 * exists (then also the browser against a naive one-GeoJSON page, the bundle and a bounded load
 * test). Writes bench/results/<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatTable, runBench } from '../src/lib/server/bench/run.ts';

const { values } = parseArgs({
	options: { sizes: { type: 'string', default: '10000,100000' }, reps: { type: 'string', default: '200' } }
});
const sizes = values.sizes!.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) {
	console.error('Fout: --sizes is een lijst van gehele aantallen meldingen (≥ 100), bijv. 10000,100000');
	process.exit(2);
}
const url = process.env.DATABASE_URL?.trim() || undefined;
const result = await runBench({
	sizes,
	reps: Number(values.reps),
	stores: url ? ['pglite', 'postgres'] : ['pglite'],
	postgresUrl: url,
	http: true,
	browser: true,
	log: (l) => console.log(l)
});
console.log('\n' + formatTable(result));
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${result.startedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(result, null, 2));
console.log(`\nresultaten: ${file}`);
