import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/lib/server/items/edit.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { photoQueue, publishPhoto, removePhoto } from '../../src/lib/server/photo-moderation.ts';
import { publicPhoto } from '../../src/lib/server/residents/photos.ts';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

const moderator: StaffUser = {
	id: 7,
	email: 'moderator@gemeente.test',
	name: 'Mo',
	role: 'moderator',
	department: null,
	wijken: []
};

describe(`photos wait for a moderator, on ${storeName}`, () => {
	let store: TestStore;
	let photos: number[];
	let itemId: number;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await syncTaxonomy(store.db);
		const { ids } = await insertItems(store.db, [
			{
				layer: 'meldingen',
				title: 'Lantaarnpaal scheef',
				theme: 'openbare-ruimte',
				category: 'straatverlichting',
				status: 'gemeld',
				geometry: { type: 'Point', coordinates: [5.1214, 52.0907] }
			}
		] as never);
		itemId = ids[0]!;
		const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#c00' } })
			.png()
			.toBuffer();
		photos = [];
		for (let k = 0; k < 2; k++) {
			const [r] = await store.db.query<{ id: number }>(
				`INSERT INTO item_photo (item_id, mime, bytes, width, height) VALUES ($1, 'image/png', $2, 4, 3) RETURNING id`,
				[itemId, png]
			);
			photos.push(Number(r.id));
		}
	});
	afterAll(() => store?.dispose());

	it('keeps photos private until one is made public, which the audit trail records without its bytes', async () => {
		expect((await photoQueue(store.db)).map((p) => p.id)).toEqual(photos);
		expect(await publicPhoto(store.db, photos[0])).toBeNull();
		await publishPhoto(store.db, photos[0], { actor: moderator, client: 'test' });
		expect(await publicPhoto(store.db, photos[0])).not.toBeNull();
		expect((await photoQueue(store.db)).map((p) => p.id)).toEqual([photos[1]]);
		const [entry] = await store.db.query<{
			actor: string;
			action: string;
			entity: string;
			before: Record<string, unknown>;
			after: Record<string, unknown>;
		}>(`SELECT actor, action, entity, before, after FROM audit_log WHERE action = 'photo.publish'`);
		expect(entry).toMatchObject({
			actor: 'user:7',
			entity: 'item_photo',
			before: { public: false, itemId },
			after: { public: true, itemId }
		});
		expect(JSON.stringify(entry)).not.toMatch(/bytes/);
	});

	it('deletes a photo that is not to be shown, and says so when it is already gone', async () => {
		await removePhoto(store.db, photos[1], { actor: moderator });
		expect(await photoQueue(store.db)).toEqual([]);
		const [{ n }] = await store.db.query<{ n: number }>(
			'SELECT count(*)::int AS n FROM item_photo WHERE id = $1',
			[photos[1]]
		);
		expect(n).toBe(0);
		expect(
			(await store.db.query(`SELECT 1 FROM audit_log WHERE action = 'photo.remove'`)).length
		).toBe(1);
		await expect(removePhoto(store.db, photos[1], { actor: moderator })).rejects.toBeInstanceOf(
			NotFoundError
		);
	});

	it('never offers photos of a rejected submission', async () => {
		const [r] = await store.db.query<{ id: number }>(
			`INSERT INTO item_photo (item_id, mime, bytes, width, height) VALUES ($1, 'image/png', '\\x00', 1, 1) RETURNING id`,
			[itemId]
		);
		expect((await photoQueue(store.db)).map((p) => p.id)).toEqual([Number(r.id)]);
		await store.db.query(
			`UPDATE item SET published = false, moderation = 'afgewezen', moderation_reason = 'dubbel' WHERE id = $1`,
			[itemId]
		);
		expect(await photoQueue(store.db)).toEqual([]);
	});
});
