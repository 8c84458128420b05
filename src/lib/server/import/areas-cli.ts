import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDb } from '../db/index.ts';
import { importAreasFromGeoJSON, ImportError, parseFeatureCollection } from './areas.ts';
import { formatAreaSummary, progressBar, rebuildTiles } from './cli.ts';

export const AREAS_USAGE = `gebruik: npm run import -- areas --level <niveau> [--parent <niveau>] [--code <eigenschap>] [--name <eigenschap>] [--population <eigenschap>] [--parent-code <eigenschap>] [--repair] [--skip-invalid] <bestand.geojson>

  Vervangt alle gebieden van één niveau (bijv. wijk, buurt) door die uit een GeoJSON
  FeatureCollection van Polygons/MultiPolygons, in één transactie: bij een fout verandert er niets.
  --parent      het grovere niveau (bijv. wijk voor buurten); verplicht voor een nieuw, niet-bovenste
                niveau. Ouders komen uit een oudercode-eigenschap (WIJKKODE, WK_CODE, …) of anders
                ruimtelijk: het gebied van het ouderniveau waar het grootste deel in ligt.
  --code/--name/--population/--parent-code  overschrijven de automatisch herkende eigenschappen.
  --repair      zelfsnijdende polygonen herstellen (ST_MakeValid) in plaats van weigeren.
  --skip-invalid  onleesbare features overslaan (gemeld in de samenvatting) in plaats van weigeren.
  Coördinaten: WGS84 of RD New (EPSG:28992), herkend aan "crs" of aan de getallen.
  Maximale bestandsgrootte: 512 MB.`;

const MAX_BYTES = 512 * 1024 * 1024;

export async function runAreasImport(argv: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			level: { type: 'string' },
			parent: { type: 'string' },
			code: { type: 'string' },
			name: { type: 'string' },
			population: { type: 'string' },
			'parent-code': { type: 'string' },
			repair: { type: 'boolean', default: false },
			'skip-invalid': { type: 'boolean', default: false },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(AREAS_USAGE);
		return 0;
	}
	if (!values.level || positionals.length !== 1) throw new ImportError(`geef --level en één bestand op\n${AREAS_USAGE}`);
	const file = positionals[0];
	let text: string;
	try {
		if (statSync(file).size > MAX_BYTES) throw new ImportError(`${file} is groter dan 512 MB`);
		text = readFileSync(file, 'utf8');
	} catch (err) {
		if (err instanceof ImportError) throw err;
		throw new ImportError(`kan ${file} niet lezen (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
	}
	const input = parseFeatureCollection(text);

	const started = performance.now();
	const db = await openDb();
	const bar = progressBar(`Gebieden (${values.level})`);
	try {
		const summary = await importAreasFromGeoJSON(db, { type: 'FeatureCollection', ...input }, {
			level: values.level,
			parentLevel: values.parent ?? null,
			fields: { code: values.code, name: values.name, population: values.population, parent: values['parent-code'] },
			repair: values.repair,
			skipInvalid: values['skip-invalid'],
			source: file,
			onProgress: bar.update
		});
		bar.stop();
		console.log(formatAreaSummary(summary, performance.now() - started));
		console.log(await rebuildTiles(db));
		return 0;
	} finally {
		bar.stop();
		await db.close();
	}
}
