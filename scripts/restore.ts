/** `npm run restore -- <map>`: zet een back-up van `npm run export` terug in een LEGE store. */
import { runCommand } from '../src/lib/server/admin/cli.ts';

process.exitCode = await runCommand('restore', process.argv.slice(2));
