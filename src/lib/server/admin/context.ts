import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { withoutBudget } from '../db/pglite-worker.ts';
import type { Db } from '../db/types.ts';

/**
 * A CLI command that the running portal executes on the CLI's behalf (see channel.ts). Inside it,
 * `openDb()` lends out the server's own store, console output goes back to the CLI, and the
 * few settings that belong to the caller (WIJKKAART_PASSWORD, …) come from the caller.
 */
export interface CommandContext {
	db: Db;
	write(stream: 'out' | 'err', text: string): void;
	env: Record<string, string>;
}

const current = new AsyncLocalStorage<CommandContext>();

/** Settings a forwarded command takes from the CLI's environment rather than the server's. */
export const CALLER_ENV = [
	'WIJKKAART_PASSWORD',
	'WIJKKAART_SHARED_DATA',
	'WIJKKAART_DEBUG'
] as const;

/**
 * The server's store for a command running inside it; closing it is the server's business. No
 * statement budget: an administrator's import runs as long as it needs, as the CLI alone does.
 */
export function borrowedStore(): Db | null {
	const ctx = current.getStore();
	return ctx ? { ...withoutBudget(ctx.db), close: async () => {} } : null;
}

export function inCommand(): boolean {
	return current.getStore() !== undefined;
}

/** The environment a command sees: the server's, with the caller's own settings on top. */
export function commandEnv(): NodeJS.ProcessEnv {
	const ctx = current.getStore();
	return ctx ? { ...process.env, ...ctx.env } : process.env;
}

let patched = false;

/** Runs fn as a forwarded command; console output inside it goes to ctx.write. */
export function runInCommand<T>(ctx: CommandContext, fn: () => Promise<T>): Promise<T> {
	if (!patched) {
		patched = true;
		for (const [method, stream] of [
			['log', 'out'],
			['info', 'out'],
			['warn', 'err'],
			['error', 'err']
		] as const) {
			const original = console[method].bind(console);
			console[method] = (...args: unknown[]) => {
				const c = current.getStore();
				if (c) c.write(stream, `${format(...args)}\n`);
				else original(...args);
			};
		}
	}
	return current.run(ctx, fn);
}
