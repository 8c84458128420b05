import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	LOCK_FILE,
	lockStore,
	StoreLockedError,
	storeOwner
} from '../../src/lib/server/db/lock.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const tmp = () => {
	const d = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-lock-'));
	dirs.push(d);
	return d;
};
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Another process that takes the store and keeps it until it is killed. */
function holder(dir: string): Promise<import('node:child_process').ChildProcess> {
	const code = `import { lockStore } from ${JSON.stringify(path.join(ROOT, 'src/lib/server/db/lock.ts'))}; lockStore(${JSON.stringify(dir)}); console.log('vast'); setInterval(() => {}, 1000);`;
	const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolve) => proc.stdout!.once('data', () => resolve(proc)));
}

describe('the PGlite data directory lock', () => {
	it('refuses a second opener in the same process and frees the store on release', () => {
		const dir = tmp();
		const lock = lockStore(dir);
		expect(() => lockStore(dir)).toThrow(StoreLockedError);
		expect(storeOwner(dir)).toBe(process.pid);
		lock.release();
		expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
		lockStore(dir).release();
	});

	it('refuses while another live process holds it, and takes over a lock left by a kill -9', async () => {
		const dir = tmp();
		const proc = await holder(dir);
		try {
			let err: unknown;
			try {
				lockStore(dir);
			} catch (e) {
				err = e;
			}
			expect(err).toBeInstanceOf(StoreLockedError);
			expect((err as Error).message).toMatch(
				new RegExp(`in gebruik door proces ${proc.pid}.*niets gewijzigd`)
			);
			expect(storeOwner(dir)).toBe(proc.pid);
		} finally {
			await new Promise((r) => {
				proc.once('exit', r);
				proc.kill('SIGKILL');
			});
		}
		// The killed process could not clean up: its lock is still there, and stale.
		expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(proc.pid);
		expect(storeOwner(dir)).toBeNull();
		const lock = lockStore(dir);
		expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
		lock.release();
	});

	it('does not mistake a reused pid for the owner: a live pid with another start time is stale', () => {
		const dir = tmp();
		// pid 1 is alive, but did not start at tick 1 (the kernel's own clock makes that impossible here).
		writeFileSync(
			path.join(dir, LOCK_FILE),
			JSON.stringify({ pid: 1, started: '1', host: os.hostname() })
		);
		const lock = lockStore(dir);
		expect(storeOwner(dir)).toBe(process.pid);
		lock.release();
	});
});
