import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { config } from '../config.ts';
import { storeOwner } from '../db/lock.ts';
import { readAdminAddress, type AdminAddress } from './address.ts';
import type { CommandName } from './command-names.ts';
import { CALLER_ENV } from './context.ts';

/**
 * Entry of every administrative script. On PostgreSQL the command runs here: the server and
 * the CLI are two clients of one database, and the server reads sessions and users afresh on
 * every request. On PGlite, a running portal owns the data directory; the command is then
 * handed to it (channel.ts) so it takes effect at once. A directory held by a process
 * without a channel (another command, `npm start` preparing) is refused before anything changes.
 */
export async function runCommand(name: CommandName, argv: string[]): Promise<number> {
	let cfg;
	try {
		cfg = config();
	} catch (err) {
		console.error(`Fout: ${(err as Error).message}`);
		return 1;
	}
	if (!cfg.databaseUrl) {
		const owner = storeOwner(cfg.dataDir);
		if (owner !== null) {
			let channel: AdminAddress | null;
			try {
				channel = readAdminAddress(cfg.dataDir);
			} catch {
				console.error(
					`Fout: het portaal (proces ${owner}) gebruikt ${cfg.dataDir}, maar deze gebruiker mag het opdrachtkanaal niet lezen; draai de opdracht als de gebruiker van het portaal. Er is niets gewijzigd.`
				);
				return 1;
			}
			if (channel?.pid === owner) return forward(channel, name, argv);
			console.error(
				`Fout: de gegevensmap ${cfg.dataDir} is in gebruik door proces ${owner} (een andere opdracht of het portaal dat nog start); er is niets gewijzigd. Probeer het zo opnieuw.`
			);
			return 1;
		}
	}
	// Loaded only now: a forwarded command needs none of the import, tile or backup code here.
	const { COMMANDS } = await import('./commands.ts');
	return COMMANDS[name](argv);
}

/**
 * The server runs with its own working directory: paths the user named are made absolute here.
 * An argument counts as a path when it exists, or when it is the folder export writes to.
 */
function absolutePaths(name: string, argv: string[]): string[] {
	return argv.map((a, i) => {
		if (a.startsWith('-') || path.isAbsolute(a)) return a;
		if (existsSync(a) || ((name === 'export' || name === 'restore') && i === 0))
			return path.resolve(a);
		return a;
	});
}

async function forward(channel: AdminAddress, name: string, argv: string[]): Promise<number> {
	const env: Record<string, string> = {};
	for (const key of CALLER_ENV) {
		const v = process.env[key];
		if (v) env[key] = v;
	}
	// Resolved here: the portal's bundle does not know where the repository's neighbour folder is.
	if (name === 'fixtures:utrecht')
		env.WIJKKAART_SHARED_DATA = (await import('../demo/fixtures-utrecht.ts')).sharedUtrechtDir();
	const body = JSON.stringify({ command: name, argv: absolutePaths(name, argv), env });
	console.error(
		`Het portaal draait (proces ${channel.pid}); de opdracht wordt daar uitgevoerd en werkt meteen.`
	);
	return new Promise<number>((resolve) => {
		let exit: number | null = null;
		let pending = '';
		let responded = false;
		const lost = (why: string) => {
			if (exit !== null) return;
			exit = 1;
			console.error(
				`Fout: de verbinding met het portaal is verbroken (${why}) voordat de opdracht klaar was. Een import is dan in zijn geheel wel of niet opgeslagen; controleer het na een herstart.`
			);
			resolve(1);
		};
		const req = http.request(
			{
				host: '127.0.0.1',
				port: channel.port,
				method: 'POST',
				path: '/opdracht',
				headers: { authorization: `Bearer ${channel.secret}`, 'content-type': 'application/json' }
			},
			(res) => {
				responded = true;
				if (res.statusCode !== 200) {
					res.resume();
					exit = 1;
					console.error(
						`Fout: het portaal weigerde de opdracht (HTTP ${res.statusCode}); er is niets gewijzigd.`
					);
					return resolve(1);
				}
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					pending += chunk;
					let nl;
					while ((nl = pending.indexOf('\n')) >= 0) {
						const line = pending.slice(0, nl);
						pending = pending.slice(nl + 1);
						const msg = JSON.parse(line) as {
							stream?: 'out' | 'err';
							text?: string;
							exit?: number;
						};
						if (msg.text !== undefined)
							(msg.stream === 'err' ? process.stderr : process.stdout).write(msg.text);
						if (msg.exit !== undefined && exit === null) {
							exit = msg.exit;
							resolve(msg.exit);
						}
					}
				});
				res.on('end', () => lost('geen afsluiting ontvangen'));
				res.on('error', (e) => lost(e.message));
				res.on('aborted', () => lost('afgebroken'));
				res.on('close', () => lost('verbinding gesloten'));
			}
		);
		req.on('error', (e) => {
			const why = (e as NodeJS.ErrnoException).code ?? e.message;
			if (responded) return lost(why);
			exit = 1;
			console.error(
				`Fout: het portaal (proces ${channel.pid}) is niet bereikbaar (${why}); er is niets gewijzigd.`
			);
			resolve(1);
		});
		req.end(body);
	});
}
