/**
 * `npm run fixtures:utrecht [-- --meldingen N] [--seed S]`: fills the store with a realistic
 * Utrecht test set (meldingen at real lamp posts, projects, initiatives, meetings). Import the
 * Utrecht wijken and buurten first. Data: ../shared/data/utrecht or WIJKKAART_SHARED_DATA.
 */
import { runCommand } from '../src/lib/server/admin/cli.ts';

process.exitCode = await runCommand('fixtures:utrecht', process.argv.slice(2));
