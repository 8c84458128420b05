import { AppError, msg } from '../../domain/errors.ts';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process per PGlite data directory, like PostgreSQL's postmaster.pid: two WASM Postgres
 * instances on the same files corrupt them (an import beside a running server left a store that
 * never opened again). The lock file names the owner's pid and its start time, so a lock left
 * by a killed process (pid gone, or reused by another program) is recognised and taken over.
 */
export const LOCK_FILE = 'wijkkaart.pid';

/** The store is in use by another live process; nothing was opened or changed. */
export class StoreLockedError extends AppError {
	constructor(
		readonly dir: string,
		readonly pid: number
	) {
		// 503: the store is busy, not the client's fault; never answered as a 4xx.
		super(
			pid === process.pid
				? msg('errors.store.lockedSelf', { dir })
				: msg('errors.store.locked', { dir, pid }),
			{ status: 503 }
		);
	}
}

interface Owner {
	pid: number;
	/** Kernel start time of the process (Linux /proc), so a reused pid is not mistaken for the owner. */
	started: string | null;
	host: string;
}

/** Start time in clock ticks since boot, or null where /proc is not there. 'dead' for a zombie. */
function processStart(pid: number): string | null | 'dead' {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which may itself hold spaces and parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (fields[0] === 'Z' || fields[0] === 'X') return 'dead';
		return fields[19] ?? null;
	} catch {
		return null;
	}
}

function alive(owner: Owner): boolean {
	// A lock written on another machine (shared disk) cannot be checked from here: respect it.
	if (owner.host !== os.hostname()) return true;
	try {
		process.kill(owner.pid, 0);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	const started = processStart(owner.pid);
	if (started === 'dead') return false;
	return !(owner.started && started && started !== owner.started);
}

function readOwner(file: string): Owner | null {
	try {
		const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
		return Number.isInteger(o.pid)
			? { pid: o.pid!, started: o.started ?? null, host: o.host ?? os.hostname() }
			: null;
	} catch {
		return null;
	}
}

/** The live process holding the store at dir, or null when it is free (or the lock is stale). */
export function storeOwner(dir: string): number | null {
	const owner = readOwner(path.join(dir, LOCK_FILE));
	return owner && alive(owner) ? owner.pid : null;
}

const held = new Set<string>();
process.once('exit', () => {
	for (const file of held) removeIfOurs(file);
});

function removeIfOurs(file: string): void {
	try {
		if (readOwner(file)?.pid === process.pid) unlinkSync(file);
	} catch {
		/* already gone */
	}
}

function createExclusive(file: string, content: string): boolean {
	try {
		const fd = openSync(file, 'wx', 0o644);
		try {
			writeSync(fd, content);
		} finally {
			closeSync(fd);
		}
		return true;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw err;
	}
}

/**
 * Takes the store at dir for this process; release() gives it back. Throws StoreLockedError when
 * a live process holds it. A stale lock is removed under a second, short-lived lock file, so two
 * processes that find the same stale lock cannot both take the store.
 */
export function lockStore(dir: string): { release(): void } {
	const file = path.join(dir, LOCK_FILE);
	const started = processStart(process.pid);
	const me = JSON.stringify({
		pid: process.pid,
		started: started === 'dead' ? null : started,
		host: os.hostname(),
		since: new Date().toISOString()
	});
	for (let attempt = 0; attempt < 5; attempt++) {
		if (createExclusive(file, me)) {
			held.add(file);
			return {
				release() {
					held.delete(file);
					removeIfOurs(file);
				}
			};
		}
		const owner = readOwner(file);
		// A half-written lock (its writer is between create and write) is someone's: wait a moment.
		if (!owner) {
			if (attempt === 4) throw new StoreLockedError(dir, 0);
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
			continue;
		}
		if (owner.pid === process.pid && held.has(file)) throw new StoreLockedError(dir, owner.pid);
		if (alive(owner)) throw new StoreLockedError(dir, owner.pid);
		recoverStale(file, owner);
	}
	throw new StoreLockedError(dir, readOwner(file)?.pid ?? 0);
}

function recoverStale(file: string, stale: Owner): void {
	const guard = `${file}.herstel`;
	if (
		!createExclusive(
			guard,
			JSON.stringify({ pid: process.pid, host: os.hostname(), started: null })
		)
	) {
		// Another process is recovering right now, or died doing so (then its guard is stale too).
		const other = readOwner(guard);
		if (other && !alive(other)) removeIfOwnedBy(guard, other.pid);
		return;
	}
	try {
		// Still the same dead owner? Then nobody has taken over in between.
		const now = readOwner(file);
		if (now && now.pid === stale.pid && now.started === stale.started && !alive(now))
			unlinkSync(file);
	} finally {
		unlinkSync(guard);
	}
}

function removeIfOwnedBy(file: string, pid: number): void {
	try {
		if (readOwner(file)?.pid === pid) unlinkSync(file);
	} catch {
		/* gone */
	}
}
