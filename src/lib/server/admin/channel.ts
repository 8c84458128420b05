import { randomBytes, timingSafeEqual } from 'node:crypto';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Db } from '../db/types.ts';
import { ADMIN_FILE, readAdminAddress, type AdminAddress } from './address.ts';
import { isCommandName } from './command-names.ts';
import { COMMANDS } from './commands.ts';
import { CALLER_ENV, runInCommand } from './context.ts';

/**
 * The portal owns its PGlite store (one process per directory, see db/lock.ts), so an
 * administrator's CLI command is handed to the running portal and executed there, on the
 * same code path as without a server. The channel is HTTP on 127.0.0.1 only, on a port chosen
 * at start; its address and a fresh random secret are in ADMIN_FILE in the data directory,
 * readable only by the server's own user (mode 0600). Without that secret a request is refused.
 */

let started: Promise<void> | null = null;

/** Idempotent: the server calls it once it holds the store. */
export function serveAdminChannel(db: Db, dataDir: string): Promise<void> {
	started ??= listen(db, dataDir).catch((err) => {
		started = null;
		console.error('[beheer] opdrachtkanaal niet gestart:', (err as Error).message);
	});
	return started;
}

async function listen(db: Db, dataDir: string): Promise<void> {
	const secret = randomBytes(32).toString('base64url');
	const expected = Buffer.from(`Bearer ${secret}`);
	const server = http.createServer((req, res) => {
		const auth = Buffer.from(req.headers.authorization ?? '');
		if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
			res.writeHead(401).end();
			return;
		}
		if (req.method !== 'POST' || req.url !== '/opdracht') {
			res.writeHead(404).end();
			return;
		}
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (d: string) => {
			body += d;
			if (body.length > 1_000_000) req.destroy();
		});
		req.on('end', () => void execute(db, body, res));
	});
	// Long imports: the CLI waits as long as the command runs.
	server.requestTimeout = 0;
	server.headersTimeout = 10_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	server.unref();
	const address: AdminAddress = {
		pid: process.pid,
		port: (server.address() as AddressInfo).port,
		secret
	};
	const file = path.join(dataDir, ADMIN_FILE);
	const tmp = `${file}.${process.pid}`;
	writeFileSync(tmp, JSON.stringify(address), { mode: 0o600 });
	renameSync(tmp, file);
	process.once('exit', () => {
		try {
			if (readAdminAddress(dataDir)?.pid === process.pid) unlinkSync(file);
		} catch {
			/* gone */
		}
	});
}

async function execute(db: Db, body: string, res: http.ServerResponse): Promise<void> {
	let request: { command?: unknown; argv?: unknown; env?: unknown };
	try {
		request = JSON.parse(body);
	} catch {
		res.writeHead(400).end();
		return;
	}
	const command = isCommandName(request.command) ? COMMANDS[request.command] : null;
	const argv =
		Array.isArray(request.argv) && request.argv.every((a) => typeof a === 'string')
			? (request.argv as string[])
			: null;
	if (!command || !argv) {
		res.writeHead(400).end();
		return;
	}
	const env: Record<string, string> = {};
	const given = (request.env ?? {}) as Record<string, unknown>;
	for (const key of CALLER_ENV) if (typeof given[key] === 'string') env[key] = given[key] as string;
	res.writeHead(200, { 'content-type': 'application/x-ndjson' });
	const write = (stream: 'out' | 'err', text: string) =>
		res.write(`${JSON.stringify({ stream, text })}\n`);
	let code: number;
	try {
		code = await runInCommand({ db, write, env }, () => command(argv));
	} catch (err) {
		write('err', `Fout: ${(err as Error).message.split('\n')[0]}\n`);
		code = 1;
	}
	res.end(`${JSON.stringify({ exit: code })}\n`);
}
