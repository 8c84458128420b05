/** `npm run export -- <map>`: a full back-up of the store (contains personal data; see README.txt in the map). */
import { runCommand } from '../src/lib/server/admin/cli.ts';

process.exitCode = await runCommand('export', process.argv.slice(2));
