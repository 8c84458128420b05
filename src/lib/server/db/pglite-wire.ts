import { StatementFailed } from './statement-failed.ts';
import type { QueryOptions } from './types.ts';

/**
 * The messages between the server's thread and the PGlite worker (pglite-worker.ts and
 * pglite-worker-entry.ts). Rows and parameters cross as structured clones, which keep Date,
 * Uint8Array and the numbers of parsers.ts as they are.
 */
export type Request =
	| {
			id: number;
			op: 'query';
			tx: number | null;
			text: string;
			params: unknown[];
			opts: QueryOptions;
	  }
	| { id: number; op: 'exec'; text: string }
	| { id: number; op: 'begin' | 'commit' | 'rollback'; tx: number }
	| { id: number; op: 'close' };

export type Reply =
	| { id: number; ok: true; rows?: unknown[] }
	| { id: number; ok: false; error: WireError }
	/** Sent once, when the store is open (or could not be opened: then ok is false). */
	| { id: 0; ok: true; ready: true };

/** An error with what callers read from it: its class, message and fields such as `code`. */
export interface WireError {
	kind: 'StatementFailed' | 'Error';
	name: string;
	message: string;
	stack?: string;
	fields: Record<string, unknown>;
}

export function toWire(err: unknown): WireError {
	if (err instanceof StatementFailed)
		return {
			kind: 'StatementFailed',
			name: err.name,
			message: err.message,
			fields: { purpose: err.purpose, statement: err.statement, notices: err.notices }
		};
	const e = err instanceof Error ? err : new Error(String(err));
	const fields: Record<string, unknown> = {};
	// PostgreSQL's fields (code, detail, constraint, …) are own properties of PGlite's DatabaseError.
	for (const [k, v] of Object.entries(e))
		if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
	return { kind: 'Error', name: e.name, message: e.message, stack: e.stack, fields };
}

export function fromWire(w: WireError): Error {
	if (w.kind === 'StatementFailed') {
		const f = w.fields as Pick<StatementFailed, 'purpose' | 'statement' | 'notices'>;
		return new StatementFailed(f.purpose, f.statement, f.notices);
	}
	const err = new Error(w.message);
	err.name = w.name;
	if (w.stack) err.stack = w.stack;
	return Object.assign(err, w.fields);
}
