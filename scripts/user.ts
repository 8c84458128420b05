/**
 * `npm run user -- add|list|disable|reset …`: staff accounts. The first beheerder is made this
 * way; no default password exists. See src/lib/server/auth/user-cli.ts.
 */
import { runUserCli } from '../src/lib/server/auth/user-cli.ts';

process.exitCode = await runUserCli(process.argv.slice(2));
