import { afterAll, describe, expect, it } from 'vitest';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { config } from '../../src/lib/server/config.ts';
import { closeDb } from '../../src/lib/server/db/index.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { freshStore, onPostgres, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

describe('DATABASE_READ_URL', () => {
	it('is refused without DATABASE_URL or when it is not postgres://', () => {
		expect(() => config({ DATABASE_READ_URL: 'postgres://replica/wk' })).toThrow(
			/alleen naast DATABASE_URL/
		);
		expect(() =>
			config({ DATABASE_URL: 'postgres://p/wk', DATABASE_READ_URL: 'mysql://replica/wk' })
		).toThrow(/postgres:\/\//);
		expect(
			config({ DATABASE_URL: 'postgres://p/wk', DATABASE_READ_URL: ' postgres://r/wk ' })
				.databaseReadUrl
		).toBe('postgres://r/wk');
	});
});

// A replica is another PostgreSQL; PGlite has none.
describe.skipIf(!onPostgres)('public item reads from a replica', () => {
	const stores: TestStore[] = [];
	afterAll(async () => {
		delete process.env.DATABASE_READ_URL;
		await closeDb();
		for (const s of stores) await s.dispose();
	});

	it('answers /api/items from DATABASE_READ_URL while the request store stays the primary', async () => {
		const [primary, replica] = [await freshStore(), await freshStore()];
		stores.push(primary, replica);
		await insertUtrechtAreas(replica.db);
		await syncTaxonomy(replica.db);
		await insertItems(replica.db, [
			{
				layer: 'projecten',
				title: 'Alleen op de replica',
				theme: 'verkeer',
				status: 'ontwerp',
				geometry: { type: 'Point', coordinates: [5.1214, 52.0907] }
			}
		] as never);
		const call = async () => {
			const url = new URL('/api/items?count=true', 'http://wijkkaart.test');
			const res = await listGET({
				url,
				params: {},
				locals: { db: primary.db },
				request: new Request(url)
			} as never);
			return (await res.json()) as {
				numberMatched: number;
				features: { properties: { title: string } }[];
			};
		};
		expect((await call()).numberMatched).toBe(0);
		process.env.DATABASE_READ_URL = replica.env.DATABASE_URL;
		const fromReplica = await call();
		expect(fromReplica.features.map((f) => f.properties.title)).toEqual(['Alleen op de replica']);
	});
});
