/** `npm run tiles`: rebuilds tiles/areas.pmtiles from the areas in the store (src/lib/server/admin/commands.ts). */
import { runCommand } from '../src/lib/server/admin/cli.ts';

process.exitCode = await runCommand('tiles', process.argv.slice(2));
