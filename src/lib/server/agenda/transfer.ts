import type { Action, Agenda } from '../../domain/agenda.ts';
import { parseAgenda } from '../../domain/agenda.ts';
import { parseCsv } from '../import/items-csv.ts';
import { CSV_BOM, CSV_DEFAULT, csvLine, fromCsvCell, type CsvDialect } from '../../domain/csv.ts';

/**
 * The agenda as a file: JSON (the Agenda shape without store ids) or CSV with one row per
 * thing, told apart by `soort` (agenda, contact, ambitie, doel, actie, wijziging). Both carry
 * the full public history, so export → import → export gives the same file.
 */

/** Without store ids and versions: what a file carries. */
export function agendaForExport(agenda: Agenda): Agenda {
	return {
		wijk: agenda.wijk,
		periodStart: agenda.periodStart,
		periodEnd: agenda.periodEnd,
		title: agenda.title,
		contacts: agenda.contacts,
		ambitions: agenda.ambitions.map(({ id: _id, goals, actions, ...m }) => ({
			...m,
			goals: goals.map(({ id: _g, ...g }) => g),
			actions: actions.map(({ id: _a, version: _v, ...a }) => a as Action)
		}))
	};
}

export const CSV_COLUMNS = [
	'soort',
	'ambitie',
	'actie',
	'wijk',
	'periode_start',
	'periode_eind',
	'thema',
	'rang',
	'titel',
	'omschrijving',
	'eigenaar',
	'status',
	'voortgang',
	'budget',
	'gepland_start',
	'gepland_eind',
	'werkelijk_start',
	'werkelijk_eind',
	'buurten',
	'items',
	'geometrie',
	'indicator',
	'eenheid',
	'nulmeting',
	'streefwaarde',
	'huidig',
	'deadline',
	'rol',
	'email',
	'url',
	'datum',
	'status_van',
	'voortgang_van'
] as const;
type Column = (typeof CSV_COLUMNS)[number];

export function agendaCsv(agenda: Agenda, dialect: CsvDialect = CSV_DEFAULT): string {
	const row = (cells: Partial<Record<Column, unknown>>) =>
		csvLine(
			CSV_COLUMNS.map((c) => cells[c] ?? ''),
			dialect
		);
	// With a BOM like every other CSV of the portal: Excel then reads UTF-8; our importer skips it.
	let out = CSV_BOM + csvLine([...CSV_COLUMNS], dialect);
	out += row({
		soort: 'agenda',
		wijk: agenda.wijk,
		periode_start: agenda.periodStart,
		periode_eind: agenda.periodEnd,
		titel: agenda.title
	});
	for (const c of agenda.contacts)
		out += row({ soort: 'contact', rol: c.role, titel: c.name, email: c.email, url: c.url });
	let actionNo = 0;
	agenda.ambitions.forEach((m, i) => {
		const ambitie = i + 1;
		out += row({
			soort: 'ambitie',
			ambitie,
			thema: m.theme,
			rang: m.rank,
			titel: m.title,
			omschrijving: m.description
		});
		for (const g of m.goals) {
			out += row({
				soort: 'doel',
				ambitie,
				indicator: g.indicator,
				eenheid: g.unit,
				nulmeting: g.baseline,
				streefwaarde: g.target,
				huidig: g.current,
				deadline: g.deadline
			});
		}
		for (const a of m.actions) {
			const actie = ++actionNo;
			out += row({
				soort: 'actie',
				ambitie,
				actie,
				titel: a.title,
				omschrijving: a.description,
				eigenaar: a.owner,
				status: a.status,
				voortgang: a.progress,
				budget: a.budget,
				gepland_start: a.plannedStart,
				gepland_eind: a.plannedEnd,
				werkelijk_start: a.actualStart,
				werkelijk_eind: a.actualEnd,
				buurten: a.buurten.join(' '),
				items: a.items.join(' '),
				geometrie: a.geometry ? JSON.stringify(a.geometry) : ''
			});
			for (const u of a.updates ?? []) {
				out += row({
					soort: 'wijziging',
					ambitie,
					actie,
					datum: u.at,
					status_van: u.statusFrom,
					status: u.statusTo,
					voortgang_van: u.progressFrom,
					voortgang: u.progressTo,
					titel: u.text
				});
			}
		}
	});
	return out;
}

/** CSV back into the JSON shape; parseAgenda then checks it like any other input. */
export function csvToAgendaInput(text: string): unknown {
	const table = parseCsv(text);
	const missing = ['soort', 'titel'].filter((c) => !table.header.includes(c));
	if (missing.length)
		throw new Error(
			`CSV mist kolom(men) ${missing.join(', ')}; verwacht: ${CSV_COLUMNS.join(', ')}`
		);
	// csvCell guards against formulas with a ' before them; take it off again.
	const cell = (r: Record<string, string>, c: Column) => fromCsvCell(r[c] ?? '').trim();
	const num = (r: Record<string, string>, c: Column, line: number) => {
		const v = cell(r, c);
		if (v === '') return null;
		const n = Number(v.replace(',', '.'));
		if (!Number.isFinite(n)) throw new Error(`CSV regel ${line}: ${c} "${v}" is geen getal`);
		return n;
	};
	const opt = (r: Record<string, string>, c: Column) => cell(r, c) || null;
	const agenda: Record<string, unknown> & {
		contacts: unknown[];
		ambitions: Record<string, unknown>[];
	} = { contacts: [], ambitions: [] };
	const actions = new Map<string, Record<string, unknown> & { updates: unknown[] }>();
	const ambitionAt = (r: Record<string, string>, line: number) => {
		const a = agenda.ambitions[Number(cell(r, 'ambitie')) - 1];
		if (!a)
			throw new Error(
				`CSV regel ${line}: ambitie "${cell(r, 'ambitie')}" staat niet eerder in het bestand`
			);
		return a as { goals: unknown[]; actions: unknown[] };
	};
	for (const { line, cells: r } of table.rows) {
		switch (cell(r, 'soort')) {
			case 'agenda':
				Object.assign(agenda, {
					wijk: cell(r, 'wijk'),
					periodStart: num(r, 'periode_start', line),
					periodEnd: num(r, 'periode_eind', line),
					title: cell(r, 'titel')
				});
				break;
			case 'contact':
				agenda.contacts.push({
					role: cell(r, 'rol'),
					name: cell(r, 'titel'),
					email: opt(r, 'email'),
					url: opt(r, 'url')
				});
				break;
			case 'ambitie':
				agenda.ambitions.push({
					theme: cell(r, 'thema'),
					rank: num(r, 'rang', line),
					title: cell(r, 'titel'),
					description: cell(r, 'omschrijving'),
					goals: [],
					actions: []
				});
				break;
			case 'doel':
				ambitionAt(r, line).goals.push({
					indicator: cell(r, 'indicator'),
					unit: cell(r, 'eenheid'),
					baseline: num(r, 'nulmeting', line),
					target: num(r, 'streefwaarde', line),
					current: num(r, 'huidig', line),
					deadline: cell(r, 'deadline')
				});
				break;
			case 'actie': {
				let geometry: unknown = null;
				if (cell(r, 'geometrie')) {
					try {
						geometry = JSON.parse(cell(r, 'geometrie'));
					} catch {
						throw new Error(`CSV regel ${line}: geometrie is geen geldige GeoJSON`);
					}
				}
				const action = {
					title: cell(r, 'titel'),
					description: cell(r, 'omschrijving'),
					owner: cell(r, 'eigenaar'),
					status: cell(r, 'status'),
					progress: num(r, 'voortgang', line) ?? 0,
					budget: num(r, 'budget', line),
					plannedStart: opt(r, 'gepland_start'),
					plannedEnd: opt(r, 'gepland_eind'),
					actualStart: opt(r, 'werkelijk_start'),
					actualEnd: opt(r, 'werkelijk_eind'),
					buurten: cell(r, 'buurten').split(/\s+/).filter(Boolean),
					items: cell(r, 'items').split(/\s+/).filter(Boolean).map(Number),
					geometry,
					updates: [] as unknown[]
				};
				ambitionAt(r, line).actions.push(action);
				actions.set(cell(r, 'actie'), action);
				break;
			}
			case 'wijziging': {
				const a = actions.get(cell(r, 'actie'));
				if (!a)
					throw new Error(
						`CSV regel ${line}: actie "${cell(r, 'actie')}" staat niet eerder in het bestand`
					);
				a.updates.push({
					at: cell(r, 'datum'),
					statusFrom: opt(r, 'status_van'),
					statusTo: cell(r, 'status'),
					progressFrom: num(r, 'voortgang_van', line),
					progressTo: num(r, 'voortgang', line),
					text: cell(r, 'titel')
				});
				break;
			}
			default:
				throw new Error(
					`CSV regel ${line}: onbekende soort "${cell(r, 'soort')}"; toegestaan: agenda, contact, ambitie, doel, actie, wijziging`
				);
		}
	}
	for (const a of actions.values())
		if (!a.updates.length) delete (a as { updates?: unknown }).updates;
	if (!('wijk' in agenda))
		throw new Error(
			'CSV heeft geen regel met soort "agenda" (wijk, periode_start, periode_eind, titel)'
		);
	return agenda;
}

/** A file's text as a checked agenda; the format follows the file name. */
export function readAgendaFile(name: string, text: string): Agenda {
	let input: unknown;
	if (/\.csv$/i.test(name)) input = csvToAgendaInput(text);
	else if (/\.json$/i.test(name)) {
		try {
			input = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
		} catch (err) {
			throw new Error(`${name} is geen geldige JSON: ${(err as Error).message}`);
		}
	} else throw new Error(`onbekend bestandstype voor ${name}; gebruik .json of .csv`);
	return parseAgenda(input);
}
