import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dsvFormat } from 'd3-dsv';
import { CSV_DEFAULT, csvLine, fromCsvCell } from '../../src/lib/domain/csv.ts';
import { itemsCsv } from '../../src/lib/server/items/csv.ts';
import { agendaCsv } from '../../src/lib/server/agenda/transfer.ts';
import * as analysis from '../../src/lib/server/analyse/csv.ts';

/**
 * Every CSV the portal writes, filled with generated text in every text field. Read back with
 * the separator it was written with by an independent parser (d3-dsv): every text comes back and
 * no field starts a formula. Read with the other separator (',' vs the Dutch ';'), a spreadsheet
 * cuts the line at every such character, quotes or not, and may start a cell at every line break:
 * no piece cut that way may start a formula either (after spaces and an opening quote). d3-dsv
 * is not used for that second reading: on such malformed input it drops the character after a
 * closing quote, which no spreadsheet does.
 */
const TRIGGERS = [
	'=',
	'+',
	'-',
	'@',
	'\t',
	'\r',
	'\n',
	',',
	';',
	'"',
	"'",
	' ',
	'\u00a0',
	'x',
	'1'
];
const hostile = fc.oneof(
	{
		weight: 3,
		arbitrary: fc
			.array(
				fc.constantFrom(
					...TRIGGERS,
					'=HYPERLINK("http://x.invalid")',
					'@SUM(A1)',
					'-2+3',
					"cmd|' /C calc'!A0"
				),
				{ maxLength: 8 }
			)
			.map((a) => a.join(''))
	},
	{ weight: 1, arbitrary: fc.string({ maxLength: 12 }) }
);

const parsers = { ',': dsvFormat(','), ';': dsvFormat(';') };
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** Would a spreadsheet start a formula at this field? (A plain number with a minus is a number.) */
function startsFormula(field: string): boolean {
	const t = field.replace(/^[\s\u00a0]+/, '');
	return /^[=+\-@]/.test(t) && !NUMBER.test(t);
}

function check(csv: string, texts: string[], sep: ',' | ';' = ','): void {
	const body = csv.replace(/^\uFEFF/, '');
	const rows = parsers[sep].parseRows(body);
	for (const field of rows.flat())
		if (startsFormula(field)) throw new Error(`formule in veld ${JSON.stringify(field)}`);
	// Every text comes back exactly, once the ' is taken off.
	const cells = new Set(rows.flat().map(fromCsvCell));
	for (const t of texts)
		if (!cells.has(t)) throw new Error(`tekst ${JSON.stringify(t)} komt niet terug`);
	// The other separator, as a spreadsheet cuts: every piece, its opening quotes and spaces skipped.
	for (const piece of body.split(/[,;\r\n]/)) {
		if (startsFormula(piece.replace(/^[ \u00a0"]+/, '')))
			throw new Error(`formule in stuk ${JSON.stringify(piece)}`);
	}
}

describe('CSV output against formula injection', () => {
	it('csvCell: any text survives a round trip and starts no formula under either separator', () => {
		fc.assert(
			fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (texts) => {
				check(csvLine(texts), texts);
				check(csvLine(texts, ';'), texts, ';');
			}),
			{ numRuns: 2000 }
		);
	});

	it('the items export, in every text column', () => {
		fc.assert(
			fc.property(fc.array(hostile, { minLength: 10, maxLength: 10 }), (t) => {
				const feature = {
					type: 'Feature' as const,
					geometry: { type: 'Point' as const, coordinates: [-5.1, 52.1] },
					properties: {
						id: 1,
						layer: t[0],
						title: t[1],
						theme: t[2],
						themes: [t[3]],
						status: t[4],
						category: t[5],
						subcategory: t[6],
						areas: { [t[7]]: t[8] },
						createdAt: t[9],
						updatedAt: t[9],
						startsAt: t[9],
						endsAt: null,
						date: t[9],
						dueAt: null,
						overdue: true
					}
				};
				check(itemsCsv([feature], [t[7]], CSV_DEFAULT), [
					t[1],
					t[2],
					t[4],
					t[5],
					t[6],
					t[7],
					t[8],
					t[9]
				]);
			}),
			{ numRuns: 300 }
		);
	});

	it('every analysis export, in every text column and header', () => {
		fc.assert(
			fc.property(fc.array(hostile, { minLength: 6, maxLength: 6 }), (t) => {
				const [level, code, name, theme, title, owner] = t;
				const area = {
					code,
					name,
					population: 10,
					count: -3,
					per1000: -1.5,
					noRate: false,
					previous: 1,
					change: -2,
					changePct: -10,
					class: 0
				};
				check(analysis.choroplethCsv({ level, areas: [area] } as never), [code, name]);
				check(
					analysis.clustersCsv({
						level,
						clusters: [
							{
								id: 1,
								count: 2,
								crossBoundary: true,
								wards: [{ code, name, count: 1 }],
								themes: [{ theme, count: 1 }],
								center: [-5, 52]
							}
						]
					} as never),
					[]
				);
				check(
					analysis.koppelkansenCsv({
						items: { 1: { title, owner }, 2: { title: name, owner: theme } },
						pairs: [{ a: 1, b: 2, distance: 5, overlap: { from: code, to: name } }]
					} as never),
					[title, owner, name, theme]
				);
				check(analysis.trendCsv({ rows: [{ month: code, theme, count: 1 }] } as never), [
					code,
					theme
				]);
				check(analysis.themesCsv({ level, themes: [{ theme, wards: [code, name] }] } as never), [
					theme
				]);
				check(
					analysis.overdueCsv({ level, rows: [{ code, name, open: 1, overdue: 1, share: 0.5 }] }),
					[code, name]
				);
				check(
					analysis.handlingTimeCsv({
						level,
						rows: [{ code, name, theme, handled: 1, medianDays: 2 }]
					} as never),
					[code, name, theme]
				);
				check(
					analysis.budgetCsv({
						level,
						rows: [{ code, name, initiatives: 1, requested: 10, granted: 5, share: 0.5 }]
					} as never),
					[code, name]
				);
			}),
			{ numRuns: 200 }
		);
	});

	it('the wijkagenda export, in every text field', () => {
		fc.assert(
			fc.property(fc.array(hostile, { minLength: 12, maxLength: 12 }), (t) => {
				const agenda = {
					wijk: t[0],
					periodStart: 2026,
					periodEnd: 2029,
					title: t[1],
					contacts: [{ role: t[2], name: t[3], email: t[4], url: t[5] }],
					ambitions: [
						{
							theme: t[6],
							title: t[7],
							description: t[8],
							rank: 1,
							goals: [
								{
									indicator: t[9],
									unit: t[10],
									baseline: -1,
									target: 2,
									current: null,
									deadline: '2027-01-01'
								}
							],
							actions: [
								{
									title: t[11],
									description: t[8],
									owner: t[2],
									status: 'gepland',
									progress: 0,
									budget: null,
									plannedStart: null,
									plannedEnd: null,
									actualStart: null,
									actualEnd: null,
									geometry: null,
									buurten: [t[0]],
									items: [],
									updates: [
										{
											at: '2026-01-01T00:00:00Z',
											statusFrom: null,
											statusTo: 'gepland',
											progressFrom: null,
											progressTo: 0,
											text: t[5]
										}
									]
								}
							]
						}
					]
				};
				check(agendaCsv(agenda as never), t);
			}),
			{ numRuns: 200 }
		);
	});
});
