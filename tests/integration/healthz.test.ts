import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { GET } from '../../src/routes/healthz/+server.ts';
import type { Db } from '../../src/lib/server/db/types.ts';

const call = (db: Db) =>
	GET({ locals: { db, lang: 'nl' } } as unknown as Parameters<typeof GET>[0]) as Promise<Response>;

describe(`/healthz on ${storeName}`, () => {
	let store: TestStore;
	beforeAll(async () => {
		store = await freshStore();
	});
	afterAll(() => store?.dispose());

	it('says ok while the store answers', async () => {
		const res = await call(store.db);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ status: 'ok', store: store.db.kind });
	});

	it('answers 503 with a Dutch message when the store does not', async () => {
		const broken: Db = {
			...store.db,
			query: async () => {
				throw new Error('connection refused');
			}
		};
		const res = await call(broken);
		expect(res.status).toBe(503);
		expect(await res.json()).toMatchObject({
			status: 'unavailable',
			error: 'De database antwoordt niet.'
		});
	});
});
