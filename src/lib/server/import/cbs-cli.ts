import { msg } from '../../domain/errors.ts';
import { parseArgs } from 'node:util';
import { openDb } from '../db/index.ts';
import { planAreaImport, readImportFile, runAreaPlan } from './area-plan.ts';
import { ImportError } from './areas.ts';
import { formatAreaSummary, formatPlan, progressBar, rebuildTiles } from './cli.ts';
import { readSpatialFile } from './formats/index.ts';

export const CBS_USAGE = `gebruik: npm run import -- cbs --gemeente <GMxxxx> [--year <jaar>] <bestand>

  Importeert de wijken en buurten van één gemeente uit de CBS Wijk- en Buurtkaart zoals CBS
  die voor heel Nederland publiceert: een GeoPackage (lagen wijken en buurten, kolommen
  wijkcode, buurtcode, gemeentecode, aantal_inwoners, …) of een zip met shapefiles (oudere
  jaargangen: WK_CODE, BU_CODE, GM_CODE, AANT_INW, …), in RD New. Vervangt de niveaus wijk en
  buurt (ouder: wijk, uit de wijkcode), samen in één transactie. Andere gemeenten in het bestand
  blijven erbuiten. Daarna worden de kaarttegels opnieuw gemaakt.
  --gemeente    CBS-gemeentecode, bijv. GM0363 (Amsterdam) of GM0344 (Utrecht).
  --year        alleen nodig als het bestand lagen van meer jaren bevat: kiest de laag met dat
                jaartal in de naam.
  Geheime of onbekende aantallen (CBS: -99997, -99999999, …) worden "onbekend".
  Maximale bestandsgrootte: 1 GB.`;

const MAX_BYTES = 1024 * 1024 * 1024;

export async function runCbsImport(argv: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			gemeente: { type: 'string' },
			year: { type: 'string' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(CBS_USAGE);
		return 0;
	}
	if (!values.gemeente || positionals.length !== 1)
		throw new ImportError(msg('errors.import.cliCbs', { usage: CBS_USAGE }));
	const file = positionals[0];
	const read = performance.now();
	const spatial = await readSpatialFile(readImportFile(file, MAX_BYTES), file);
	let plan;
	try {
		plan = await planAreaImport(
			spatial,
			{ kind: 'cbs', gemeente: values.gemeente, year: values.year ?? null },
			file,
			'cbs'
		);
	} finally {
		spatial.close();
	}
	console.log(formatPlan(plan));
	console.log(`gelezen in ${((performance.now() - read) / 1000).toFixed(1)} s`);
	const bar = progressBar('Gebieden');
	const db = await openDb();
	const started = performance.now();
	try {
		const summaries = await runAreaPlan(db, plan, { onProgress: bar.update });
		bar.stop();
		for (const s of summaries) console.log(formatAreaSummary(s, performance.now() - started));
		console.log(await rebuildTiles(db));
		return 0;
	} finally {
		bar.stop();
		await db.close();
	}
}
