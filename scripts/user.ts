/**
 * `npm run user -- add|list|disable|reset|set|enable …`: staff accounts. The first beheerder is
 * made this way; no default password exists. See src/lib/server/auth/user-cli.ts; with the portal
 * running, the command runs inside it (src/lib/server/admin/cli.ts).
 */
import { runCommand } from '../src/lib/server/admin/cli.ts';

process.exitCode = await runCommand('user', process.argv.slice(2));
