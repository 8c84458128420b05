import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starting the production build on loopback, for the benchmark and the browser tests. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

export interface RunningServer {
	url: string;
	proc: ChildProcess;
	output(): string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the production build (`node build`) on loopback and waits until it answers. The
 * timeout only guards against a hang: on a busy machine opening PGlite alone can take a minute.
 */
export async function startServer(
	env: Record<string, string>,
	timeoutMs = 240_000,
	root = ROOT
): Promise<RunningServer> {
	if (!existsSync(path.join(root, 'build/index.js'))) {
		throw new Error('build/index.js ontbreekt: draai eerst `npm run build`');
	}
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const proc = spawn(process.execPath, ['build/index.js'], {
		cwd: root,
		env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	proc.stdout!.on('data', (d) => (log += d));
	proc.stderr!.on('data', (d) => (log += d));
	// A server must not outlive the run that started it (a test that fails before its cleanup, a
	// worker that is ended): it would hold a port, memory and, on PGlite, its data directory.
	const orphanGuard = () => proc.kill('SIGKILL');
	process.once('exit', orphanGuard);
	proc.once('exit', () => process.off('exit', orphanGuard));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`server stopte (code ${proc.exitCode}):\n${log}`);
		try {
			const res = await fetch(`${url}/api/areas?level=__ping__`);
			if (res.status < 500) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`server antwoordde niet binnen ${timeoutMs} ms:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		proc,
		output: () => log,
		stop: (signal = 'SIGTERM') =>
			new Promise<void>((resolve) => {
				if (proc.exitCode !== null) return resolve();
				proc.once('exit', () => resolve());
				proc.kill(signal);
			})
	};
}
