import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../src/lib/server/bench/serve-build.ts';

export {
	freePort,
	ROOT,
	startServer,
	type RunningServer
} from '../../src/lib/server/bench/serve-build.ts';
export { launchBrowser } from '../../src/lib/server/bench/browser.ts';

/** Runs a CLI script the way a user would (`npm run …` = tsx scripts/…). */
export function runScript(
	script: string,
	args: string[],
	env: Record<string, string>
): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const proc = spawn(
			process.execPath,
			[path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args],
			{
				cwd: ROOT,
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let stdout = '';
		let stderr = '';
		proc.stdout.on('data', (d) => (stdout += d));
		proc.stderr.on('data', (d) => (stderr += d));
		proc.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
	});
}
