import { config } from '../config.ts';
import { getDb, getReadDb } from '../db/index.ts';
import type { Db } from '../db/types.ts';

/**
 * The store for a request: hooks.server.ts may put one on locals; until then (and in
 * scripts) the process-wide one.
 */
export async function storeFor(event: { locals: object }): Promise<Db> {
	return (event.locals as { db?: Db }).db ?? (await getDb());
}

/** For public reads that may come from a replica (DATABASE_READ_URL); the request's store otherwise. */
export async function readStoreFor(event: { locals: object }): Promise<Db> {
	return config().databaseReadUrl ? getReadDb() : storeFor(event);
}

export function jsonError(status: number, message: string): Response {
	return new Response(JSON.stringify({ error: message }), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8' }
	});
}

export function json(body: unknown, contentType = 'application/json'): Response {
	return jsonText(JSON.stringify(body), contentType);
}

/** A body that is JSON text already (built without an object in between). */
export function jsonText(text: string, contentType = 'application/json'): Response {
	return new Response(text, {
		headers: { 'content-type': `${contentType}; charset=utf-8`, 'cache-control': 'no-cache' }
	});
}

/** Any JSON answer with a status; never cached (errors, write results). */
export function body(status: number, value: unknown): Response {
	return new Response(JSON.stringify(value), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
	});
}
