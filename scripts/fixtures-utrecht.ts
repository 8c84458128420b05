/**
 * `npm run fixtures:utrecht [-- --meldingen N] [--seed S]`: fills the store with a realistic
 * Utrecht test set (meldingen at real lamp posts, projects, initiatives, meetings). Import the
 * Utrecht wijken and buurten first. Data: ../shared/data/utrecht or WIJKKAART_SHARED_DATA.
 */
import { parseArgs } from 'node:util';
import { openDb } from '../src/lib/server/db/index.ts';
import { writeUtrechtFixtures } from '../src/lib/server/demo/fixtures-utrecht.ts';
import { progressBar } from '../src/lib/server/import/cli.ts';

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: { meldingen: { type: 'string', default: '10000' }, seed: { type: 'string' } },
		allowPositionals: false
	});
	const meldingen = Number(values.meldingen);
	if (!Number.isInteger(meldingen) || meldingen < 0) {
		console.error(`Fout: --meldingen moet een geheel getal ≥ 0 zijn (kreeg "${values.meldingen}")`);
		return 1;
	}
	const seed = values.seed === undefined ? undefined : Number(values.seed);
	if (seed !== undefined && !Number.isInteger(seed)) {
		console.error(`Fout: --seed moet een geheel getal zijn (kreeg "${values.seed}")`);
		return 1;
	}
	const started = performance.now();
	const db = await openDb();
	const bar = progressBar('Utrechtse test-items');
	try {
		const res = await writeUtrechtFixtures(db, {
			meldingen,
			seed,
			onProgress: (done, total) => bar.update(done, total)
		});
		bar.stop();
		console.log(
			`${res.written} Utrechtse test-items geschreven (${res.generated - res.written} buiten de gebieden) in ${Math.round(performance.now() - started)} ms.`
		);
		return 0;
	} catch (err) {
		bar.stop();
		console.error(`Fout: ${(err as Error).message}`);
		return 1;
	} finally {
		await db.close();
	}
}

process.exitCode = await main();
