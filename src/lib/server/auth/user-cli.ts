import os from 'node:os';
import { parseArgs } from 'node:util';
import { commandEnv } from '../admin/context.ts';
import { config } from '../config.ts';
import { openDb } from '../db/index.ts';
import type { Db } from '../db/types.ts';
import type { Actor } from '../audit.ts';
import { isRole, ROLES } from '../../domain/staff.ts';
import { randomPassword } from './password.ts';
import {
	addUser,
	changeUser,
	disableUser,
	enableUser,
	listUsers,
	resetPassword,
	UserInputError
} from './users.ts';

export const USER_USAGE = `gebruik:
  npm run user -- add <e-mail> --role <rol> [--wijk <code> …] [--name <naam>] [--department <afdeling>]
  npm run user -- list
  npm run user -- set <e-mail> [--role <rol>] [--wijk <code> …] [--name <naam>] [--department <afdeling>]
  npm run user -- disable <e-mail>
  npm run user -- enable <e-mail>
  npm run user -- reset <e-mail>

  Rollen: ${ROLES.join(', ')}. --wijk (herhaalbaar of met komma's) bindt een wijkregisseur of
  medewerker aan wijken; de codes moeten als wijk in de database staan.
  add en reset tonen één keer een willekeurig eenmalig wachtwoord; staat WIJKKAART_PASSWORD
  in de omgeving (scripts, tests), dan wordt dat gebruikt en niet getoond.
  set vervangt de rol en/of de wijken (--wijk geeft de volledige nieuwe lijst); de volgende
  aanvraag van een open sessie heeft meteen de nieuwe rechten.
  disable en reset beëindigen direct alle sessies van het account.
  Draait het portaal (PGlite), dan voert het portaal de opdracht uit en werkt die meteen.
  Exitcode 2: onjuiste invoer (onbekende rol, wijk of account); er is dan niets opgeslagen.`;

/** Exit code 2 for the user's mistakes, so scripts can tell them from a broken store (1). */
export async function runUserCli(
	argv: string[],
	deps: { db?: Db; log?: (s: string) => void; err?: (s: string) => void } = {}
): Promise<number> {
	const log = deps.log ?? console.log;
	const err = deps.err ?? console.error;
	let own: Db | null = null;
	try {
		const [command, ...rest] = argv;
		const { values, positionals } = parseArgs({
			args: rest,
			allowPositionals: true,
			options: {
				role: { type: 'string' },
				wijk: { type: 'string', multiple: true },
				name: { type: 'string' },
				department: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
		if (!command || command === '--help' || command === '-h' || values.help) {
			log(USER_USAGE);
			return command ? 0 : 2;
		}
		const expectEmail = () => {
			if (positionals.length !== 1)
				throw new UserInputError(`geef precies één e-mailadres\n${USER_USAGE}`);
			return positionals[0];
		};
		// Checked before the store is opened: a typo costs nothing.
		if (command === 'add') {
			if (!values.role) throw new UserInputError(`--role ontbreekt; kies uit ${ROLES.join(', ')}`);
			if (!isRole(values.role))
				throw new UserInputError(`onbekende rol "${values.role}"; kies uit ${ROLES.join(', ')}`);
		} else if (command === 'set') {
			if (values.role && !isRole(values.role))
				throw new UserInputError(`onbekende rol "${values.role}"; kies uit ${ROLES.join(', ')}`);
			if (
				!values.role &&
				!values.wijk &&
				values.name === undefined &&
				values.department === undefined
			) {
				throw new UserInputError('geef minstens één van --role, --wijk, --name, --department');
			}
		} else if (!['list', 'disable', 'enable', 'reset'].includes(command)) {
			throw new UserInputError(
				`onbekende opdracht "${command}"; kies uit add, list, set, disable, enable, reset`
			);
		}
		const actor: Actor = { kind: 'system' };
		const client = `cli:${safeUser()}`;
		const given = config(commandEnv()).cliPassword ?? undefined;
		const password = given || randomPassword();
		const db = deps.db ?? (own = await openDb());
		switch (command) {
			case 'add': {
				const email = expectEmail();
				const wijken = wijkList(values.wijk) ?? [];
				const user = await addUser(
					db,
					{
						email,
						role: values.role!,
						wijken,
						name: values.name,
						department: values.department ?? null,
						password
					},
					actor,
					client
				);
				log(
					`Account aangemaakt: ${user.email} (${user.role}${user.wijken.length ? `, wijken ${user.wijken.join(', ')}` : ''}${user.department ? `, afdeling ${user.department}` : ''})`
				);
				log(passwordLine(given, password));
				return 0;
			}
			case 'list': {
				const users = await listUsers(db);
				if (users.length === 0)
					log(
						'Nog geen accounts. Maak de eerste beheerder met: npm run user -- add <e-mail> --role beheerder'
					);
				for (const u of users) {
					const extra = [
						u.wijken.length ? `wijken ${u.wijken.join(',')}` : '',
						u.department ? `afdeling ${u.department}` : '',
						u.disabled ? 'UITGESCHAKELD' : ''
					]
						.filter(Boolean)
						.join('; ');
					log(`${u.email.padEnd(32)} ${u.role.padEnd(14)} ${u.name}${extra ? `  (${extra})` : ''}`);
				}
				return 0;
			}
			case 'set': {
				const email = expectEmail();
				const user = await changeUser(
					db,
					email,
					{
						role: values.role,
						wijken: wijkList(values.wijk),
						name: values.name,
						department: values.department
					},
					actor,
					client
				);
				log(
					`Account ${user.email} gewijzigd: ${user.role}${user.wijken.length ? `, wijken ${user.wijken.join(', ')}` : ''}${user.department ? `, afdeling ${user.department}` : ''}`
				);
				return 0;
			}
			case 'enable': {
				const email = expectEmail();
				await enableUser(db, email, actor, client);
				log(`Account ${email.toLowerCase()} weer ingeschakeld.`);
				return 0;
			}
			case 'disable': {
				const email = expectEmail();
				await disableUser(db, email, actor, client);
				log(`Account ${email.toLowerCase()} uitgeschakeld; alle sessies zijn beëindigd.`);
				return 0;
			}
			case 'reset': {
				const email = expectEmail();
				await resetPassword(db, email, password, actor, client);
				log(`Nieuw wachtwoord voor ${email.toLowerCase()}; alle sessies zijn beëindigd.`);
				log(passwordLine(given, password));
				return 0;
			}
		}
		return 2;
	} catch (e) {
		const error = e as Error & { code?: string };
		// parseArgs names its refusals by a Node code; a UserInputError's code is a catalogue code.
		const badOption =
			!(e instanceof UserInputError) && (error.code?.startsWith('ERR_PARSE_ARGS') ?? false);
		const userMistake = e instanceof UserInputError || badOption;
		err(`Fout: ${badOption ? 'onbekende of onvolledige optie (zie --help)' : error.message}`);
		return userMistake ? 2 : 1;
	} finally {
		await own?.close();
	}
}

/** --wijk is repeatable and takes commas; undefined when not given at all. */
function wijkList(given: string[] | undefined): string[] | undefined {
	return given
		?.flatMap((w) => w.split(','))
		.map((w) => w.trim())
		.filter(Boolean);
}

function passwordLine(given: string | undefined, password: string): string {
	return given
		? 'Wachtwoord ingesteld uit WIJKKAART_PASSWORD.'
		: `Eenmalig wachtwoord (wordt niet opnieuw getoond; geef het veilig door): ${password}`;
}

function safeUser(): string {
	try {
		return os.userInfo().username;
	} catch {
		return 'onbekend';
	}
}
