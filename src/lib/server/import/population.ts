import { parseArgs } from 'node:util';
import { msg, reasonOf } from '../../domain/errors.ts';
import { recordAudit } from '../audit.ts';
import { openDb } from '../db/index.ts';
import type { Db } from '../db/types.ts';
import { readPopulation } from './area-fields.ts';
import { ImportError } from './areas.ts';
import { readImportFile } from './area-plan.ts';
import { rebuildTiles } from './cli.ts';
import { parseCsv } from './items-csv.ts';

export const POPULATION_USAGE = `gebruik: npm run import -- population [--gemeente <GMxxxx>] [--code <kolom>] [--inwoners <kolom>] <bestand.csv>

  Zet het inwonertal van de wijken en buurten die al in de kaart staan, uit een CSV zoals CBS
  die als "Kerncijfers wijken en buurten" publiceert (StatLine/open data, ; of , gescheiden).
  Niets gaat daarvoor het internet op: download het bestand één keer en importeer het hier.
  --code       kolom met de CBS-code (standaard: WijkenEnBuurten, Codering_3 of gwb_code).
  --inwoners   kolom met het aantal inwoners (standaard: AantalInwoners_5 of a_inw).
  --gemeente   CBS-gemeentecode (bijv. GM0344): dan passen WK0344nn en BU0344nnnn ook op de
               eigen codes van de gemeente (wijk nn, buurt nnnn), zoals in Utrecht's open data.
  Lege, geheime of onbekende aantallen (".", "x", -99997, …) worden "onbekend". Regels van
  gebieden die de kaart niet kent (andere gemeenten, de gemeente zelf) blijven erbuiten.
  Alles of niets: één transactie; daarna worden de kaarttegels opnieuw gemaakt.`;

const CODE_COLUMNS = ['WijkenEnBuurten', 'Codering_3', 'gwb_code', 'Codering'];
const POPULATION_COLUMNS = ['AantalInwoners_5', 'a_inw', 'AantalInwoners', 'aantal_inwoners'];
const MAX_BYTES = 256 * 1024 * 1024;

export interface PopulationRow {
	/** The CBS code as written (trimmed): WK034401, BU03440111, GM0344. */
	code: string;
	population: number | null;
	line: number;
}

/** The rows of a CBS key-figures CSV: code and inhabitants, sentinels and blanks as null. */
export function readPopulationCsv(
	text: string,
	columns: { code?: string; population?: string } = {}
): PopulationRow[] {
	let table;
	try {
		table = parseCsv(text);
	} catch (e) {
		throw new ImportError(reasonOf(e));
	}
	const pick = (given: string | undefined, candidates: string[], what: string) => {
		const found = given ?? candidates.find((c) => table.header.includes(c));
		if (!found || !table.header.includes(found)) {
			const params = {
				what: msg(what === 'de code' ? 'errors.import.whatCode' : 'errors.import.whatPopulation'),
				columns: table.header.join(', '),
				option: what === 'de code' ? 'code' : 'inwoners'
			};
			throw new ImportError(
				given
					? msg('errors.import.populationColumnGiven', { ...params, given })
					: msg('errors.import.populationColumn', params)
			);
		}
		return found;
	};
	const codeCol = pick(columns.code, CODE_COLUMNS, 'de code');
	const popCol = pick(columns.population, POPULATION_COLUMNS, 'inwoners');
	return table.rows
		.map((r) => ({
			code: r.cells[codeCol].trim(),
			population: readPopulation(r.cells[popCol]),
			line: r.line
		}))
		.filter((r) => r.code !== '');
}

export interface PopulationSummary {
	/** Areas that got a population (a number, or unknown from a sentinel), by level. */
	updated: Record<string, number>;
	/** Of those, how many are unknown (a blank or a CBS sentinel). */
	unknown: number;
	/** Rows whose code matches no area, e.g. other municipalities or the municipality itself. */
	unmatched: number;
	/** Areas of the map that no row names: their population is left as it was. */
	untouched: number;
}

/**
 * The area a CBS code names: the code itself, or, with a gemeente code, WK<gm><wijk> and
 * BU<gm><buurt> to the municipality's own codes (Utrecht: wijk 01, buurt 0111). A WK code goes to
 * the coarsest level and a BU code to the finest when the same local code is at several levels.
 */
function matcher(areas: { level: string; code: string; depth: number }[], gemeente: string | null) {
	const byCode = new Map<string, typeof areas>();
	for (const a of areas) byCode.set(a.code, [...(byCode.get(a.code) ?? []), a]);
	const gm = gemeente?.replace(/^GM/i, '') ?? null;
	return (code: string) => {
		const exact = byCode.get(code);
		if (exact?.length === 1) return exact[0];
		const m = /^(WK|BU)(\d{4})(\d+)$/i.exec(code);
		const local = m && gm && m[2] === gm ? byCode.get(m[3]) : exact;
		if (!local?.length) return null;
		if (local.length === 1) return local[0];
		const depths = local.map((a) => a.depth);
		const want = m?.[1].toUpperCase() === 'BU' ? Math.max(...depths) : Math.min(...depths);
		return local.find((a) => a.depth === want) ?? null;
	};
}

/** Sets the population of every area the rows name, in one transaction, with an audit row. */
export async function applyPopulation(
	db: Db,
	rows: PopulationRow[],
	opts: { gemeente: string | null; source: string }
): Promise<PopulationSummary> {
	return db.transaction(async (tx) => {
		const areas = await tx.query<{ level: string; code: string; depth: number }>(
			`SELECT a.level, a.code, l.depth FROM area a JOIN area_level l ON l.name = a.level`
		);
		if (!areas.length) throw new ImportError(msg('errors.import.populationNoAreas'));
		const find = matcher(areas, opts.gemeente);
		const hits = new Map<
			string,
			{ level: string; code: string; population: number | null; line: number }
		>();
		let unmatched = 0;
		for (const r of rows) {
			const a = find(r.code);
			if (!a) {
				unmatched++;
				continue;
			}
			const key = `${a.level}\u0000${a.code}`;
			const twice = hits.get(key);
			if (twice)
				throw new ImportError(
					msg('errors.import.populationTwice', {
						line: r.line,
						code: r.code,
						level: a.level,
						area: a.code,
						other: twice.line
					})
				);
			hits.set(key, { level: a.level, code: a.code, population: r.population, line: r.line });
		}
		if (!hits.size) {
			throw new ImportError(
				msg(
					opts.gemeente
						? 'errors.import.populationNoMatch'
						: 'errors.import.populationNoMatchGemeente'
				)
			);
		}
		const list = [...hits.values()];
		await tx.query(
			`UPDATE area a SET population = x.population
			 FROM unnest($1::text[], $2::text[], $3::int[]) AS x(level, code, population)
			 WHERE a.level = x.level AND a.code = x.code`,
			[list.map((h) => h.level), list.map((h) => h.code), list.map((h) => h.population)]
		);
		const updated: Record<string, number> = {};
		for (const h of list) updated[h.level] = (updated[h.level] ?? 0) + 1;
		const summary: PopulationSummary = {
			updated,
			unknown: list.filter((h) => h.population === null).length,
			unmatched,
			untouched: areas.length - list.length
		};
		await tx.query(
			`INSERT INTO import_log (kind, target, source, summary) VALUES ('population', NULL, $1, $2::jsonb)`,
			[opts.source, JSON.stringify(summary)]
		);
		await recordAudit(tx, {
			actor: { kind: 'import', command: 'population' },
			action: 'import.population',
			entity: 'area',
			entityId: null,
			after: { file: opts.source, ...summary }
		});
		return summary;
	});
}

export function formatPopulationSummary(s: PopulationSummary): string {
	const levels = Object.entries(s.updated)
		.map(([level, n]) => `${n} ${level}`)
		.join(', ');
	return `inwonertal gezet: ${levels} (${s.unknown} onbekend); ${s.unmatched} regels zonder gebied op de kaart; ${s.untouched} gebieden niet in het bestand`;
}

export async function runPopulationImport(argv: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			gemeente: { type: 'string' },
			code: { type: 'string' },
			inwoners: { type: 'string' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(POPULATION_USAGE);
		return 0;
	}
	if (positionals.length !== 1)
		throw new ImportError(msg('errors.import.cliPopulation', { usage: POPULATION_USAGE }));
	const file = positionals[0];
	if (values.gemeente && !/^GM\d{4}$/i.test(values.gemeente))
		throw new ImportError(msg('errors.import.populationGemeente', { value: values.gemeente }));
	const rows = readPopulationCsv(new TextDecoder().decode(readImportFile(file, MAX_BYTES)), {
		code: values.code,
		population: values.inwoners
	});
	const db = await openDb();
	try {
		console.log(
			formatPopulationSummary(
				await applyPopulation(db, rows, {
					gemeente: values.gemeente?.toUpperCase() ?? null,
					source: file
				})
			)
		);
		console.log(await rebuildTiles(db));
		return 0;
	} finally {
		await db.close();
	}
}
