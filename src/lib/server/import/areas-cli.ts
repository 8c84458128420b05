import { msg } from '../../domain/errors.ts';
import { parseArgs } from 'node:util';
import { openDb } from '../db/index.ts';
import { planAreaImport, readImportFile, runAreaPlan } from './area-plan.ts';
import { checkLevelName, ImportError } from './areas.ts';
import { formatAreaSummary, formatPlan, progressBar, rebuildTiles } from './cli.ts';
import { readSpatialFile } from './formats/index.ts';

export const AREAS_USAGE = `gebruik: npm run import -- areas --level <niveau> [--parent <niveau>] [--code <eigenschap>] [--name <eigenschap>] [--population <eigenschap>] [--parent-code <eigenschap>] [--strict] [--skip-invalid] [--layer <laag>] <bestand>

  Vervangt alle gebieden van één niveau (bijv. wijk, buurt) door die uit een bestand met
  Polygons/MultiPolygons, in één transactie: bij een fout verandert er niets. Het bestand is een
  GeoJSON FeatureCollection, een GeoPackage (.gpkg) of een zip met shapefiles (.shp, .dbf, .prj,
  .cpg); het formaat wordt herkend aan de inhoud. Voor de CBS Wijk- en Buurtkaart: zie
  npm run import -- cbs --help.
  Daarna worden de kaarttegels (areas.pmtiles) opnieuw gemaakt.

  --level       naam van het niveau: kleine letters, cijfers, - of _ (bijv. wijk, buurt, stadsdeel).
  --parent      het niveau direct erboven (bijv. wijk voor buurten). Zonder --parent houdt een
                bestaand niveau zijn ouderniveau; een nieuw niveau mag dan alleen het eerste
                niveau van een lege opslag zijn. Een nieuw niveau komt altijd onder een bestaand.
                Ouders komen uit een oudercode-eigenschap (WIJKKODE, WK_CODE, wijkcode, GM_CODE, …;
                elke code moet op het ouderniveau bestaan), anders ruimtelijk: het gebied van het
                ouderniveau waarin het grootste deel ligt (minstens 20%, anders geen ouder).
  --code/--name/--population/--parent-code
                overschrijven de automatisch herkende eigenschappen:
                code: BU_CODE, buurtcode, WK_CODE, wijkcode, wijkCode, GM_CODE, KODE, code
                naam: BU_NAAM, buurtnaam, WK_NAAM, wijknaam, wijkNaam, NAAM, naam, name
                inwoners: AANT_INW, aantal_inwoners, aantalInwoners (negatief, zoals CBS' -99999999 = onbekend)
                Zonder code krijgt elk gebied een vaste code uit de naam (bijv. "nieuw-west", bij
                dubbele namen "centrum-2").
  --strict      ongeldige polygonen (zelfsnijdende ringen e.d.) weigeren. Zonder --strict worden
                ze hersteld met ST_MakeValid (het vlakdeel blijft) en elk herstel gemeld.
                Open ringen en dubbele opeenvolgende punten worden altijd hersteld en gemeld.
  --repair      (herstellen is de standaard; blijft geaccepteerd voor bestaande scripts)
  --skip-invalid  features zonder bruikbare polygoon (Point, NaN, te korte ring) overslaan en
                melden in plaats van het hele bestand te weigeren.
  --layer       de laag van een GeoPackage of de shapefile in een zip (nodig bij meer dan één).
  Coördinaten: WGS84 (lengte, breedte) of RD New (EPSG:28992), herkend aan het "crs"-lid of aan
  de getallen (GeoPackage: gpkg_spatial_ref_sys, shapefile: .prj); RD wordt omgerekend naar WGS84. Breedte/lengte omgedraaid wordt geweigerd.
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
			strict: { type: 'boolean', default: false },
			repair: { type: 'boolean', default: false },
			'skip-invalid': { type: 'boolean', default: false },
			layer: { type: 'string' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(AREAS_USAGE);
		return 0;
	}
	if (!values.level || positionals.length !== 1)
		throw new ImportError(msg('errors.import.cliAreas', { usage: AREAS_USAGE }));
	checkLevelName(values.level);
	const file = positionals[0];
	const spatial = await readSpatialFile(readImportFile(file, MAX_BYTES), file);
	// Everything that can be checked without the store is checked before it is opened.
	let plan;
	try {
		plan = await planAreaImport(
			spatial,
			{
				kind: 'areas',
				level: values.level,
				parentLevel: values.parent ?? null,
				layer: values.layer ?? null,
				fields: {
					code: values.code,
					name: values.name,
					population: values.population,
					parent: values['parent-code']
				},
				strict: values.strict,
				skipInvalid: values['skip-invalid']
			},
			file,
			'areas'
		);
	} finally {
		spatial.close();
	}
	if (plan.format !== 'geojson') console.log(formatPlan(plan));
	const bar = progressBar(`Gebieden (${values.level})`);
	const db = await openDb();
	const started = performance.now();
	try {
		const [summary] = await runAreaPlan(db, plan, { onProgress: bar.update });
		bar.stop();
		console.log(formatAreaSummary(summary, performance.now() - started));
		console.log(await rebuildTiles(db));
		return 0;
	} finally {
		bar.stop();
		await db.close();
	}
}
