/**
 * `npm run import -- <kind> …`: every import the portal knows (src/lib/server/admin/commands.ts).
 * With the portal running, the import runs inside it (src/lib/server/admin/cli.ts).
 */
import { runCommand } from '../src/lib/server/admin/cli.ts';

process.exitCode = await runCommand('import', process.argv.slice(2));
