/**
 * The store speaks PostgreSQL + PostGIS whether it is embedded PGlite or a real server.
 * Callers write one SQL dialect with $1 placeholders. Both drivers return rows as plain
 * objects of the same JS types (parsers.ts): bigint and numeric as numbers, timestamptz as a
 * Date, date as 'YYYY-MM-DD'.
 */
export interface Sql {
	query<T = Record<string, unknown>>(
		text: string,
		params?: unknown[],
		opts?: QueryOptions
	): Promise<T[]>;
}

/** What a statement is for, named in the error when the store cannot answer it. */
export type StatementPurpose =
	'parents' | 'repair' | 'validity' | 'agendaUnion' | 'clusters' | 'selfCheck';

export interface QueryOptions {
	purpose?: StatementPurpose;
}

export interface Db extends Sql {
	readonly kind: 'pglite' | 'postgres';
	/** Runs a script of several statements without parameters. */
	exec(script: string): Promise<void>;
	/** All-or-nothing: an error anywhere rolls the whole function back. */
	transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}
