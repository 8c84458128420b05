import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openDb } from '../db/index.ts';
import { replaceAgenda } from './store.ts';
import { readAgendaFile } from './transfer.ts';

export const AGENDA_USAGE = `gebruik: npm run import -- agenda <bestand.json|bestand.csv>

  Zet de wijkagenda van één wijk en periode in de database, in één transactie: bij een fout
  verandert er niets. Een bestaande agenda van dezelfde wijk en hetzelfde beginjaar wordt vervangen.
  Het formaat is dat van de export: GET /api/wijken/<code>/agenda.json of .csv.`;

export async function runAgendaImport(argv: string[]): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(AGENDA_USAGE);
		return 0;
	}
	if (argv.length !== 1 || argv[0].startsWith('-'))
		throw new Error(`geef precies één bestand op\n${AGENDA_USAGE}`);
	const file = argv[0];
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (err) {
		throw new Error(
			`kan ${file} niet lezen: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
		);
	}
	const agenda = readAgendaFile(path.basename(file), text);
	const db = await openDb();
	try {
		await db.transaction((tx) => replaceAgenda(tx, agenda, { kind: 'import', command: 'agenda' }));
	} finally {
		await db.close();
	}
	const actions = agenda.ambitions.reduce((n, m) => n + m.actions.length, 0);
	console.log(
		`Wijkagenda "${agenda.title}" (${agenda.wijk}, ${agenda.periodStart}–${agenda.periodEnd}) geïmporteerd: ${agenda.ambitions.length} ambities, ${actions} acties.`
	);
	return 0;
}
