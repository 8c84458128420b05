/**
 * `npm run import -- <kind> …`: every import the portal knows. Each kind is a handler in
 * src/lib/server/import that returns an exit code; user errors are one Dutch line, no stack.
 */
import { runAgendaImport } from '../src/lib/server/agenda/import-cli.ts';
import { runAddressesImport } from '../src/lib/server/import/addresses.ts';
import { runAreasImport } from '../src/lib/server/import/areas-cli.ts';
import { runCbsImport } from '../src/lib/server/import/cbs-cli.ts';
import { runItemsImport } from '../src/lib/server/import/items.ts';
import { runPdokImport } from '../src/lib/server/import/pdok.ts';

const handlers: Record<string, (argv: string[]) => Promise<number>> = {
	areas: runAreasImport,
	cbs: runCbsImport,
	pdok: runPdokImport,
	items: runItemsImport,
	agenda: runAgendaImport,
	addresses: runAddressesImport
};

const [kind, ...argv] = process.argv.slice(2);
const handler = kind ? handlers[kind] : undefined;
if (!handler) {
	console.error(`Fout: geef een soort import op: ${Object.keys(handlers).join(', ')} (bijv. npm run import -- areas --help)`);
	process.exit(2);
}
/** node:util parseArgs speaks English; the option it names is all the user needs. */
function argumentError(e: Error & { code?: string }): string | null {
	const option = e.message.match(/'(-[^' ]+)/)?.[1] ?? '';
	if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `onbekende optie ${option} (zie --help)`;
	if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `optie ${option} heeft een waarde nodig (zie --help)`;
	if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `onverwacht argument (zie --help)`;
	return null;
}

try {
	process.exitCode = await handler(argv);
} catch (err) {
	const e = err as Error & { code?: string };
	// Errors from our own checks, the store and argument parsing are the user's to fix; show one line.
	console.error(`Fout: ${argumentError(e) ?? e.message.split('\n')[0]}`);
	if (e.message.includes('\n') && e.message.includes('gebruik:')) console.error(e.message.slice(e.message.indexOf('\n') + 1));
	if (process.env.WIJKKAART_DEBUG) console.error(e.stack);
	process.exitCode = 1;
}
