import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { changeStatus } from '../../src/lib/server/items/edit.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { merge } from '../../src/lib/server/moderation.ts';
import { answerSolved, trackView } from '../../src/lib/server/residents/track.ts';
import { createTracking } from '../../src/lib/server/residents/tracking.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/**
 * A tracking link shows only what its own reporter may see: merged into a sensitive melding,
 * the reporter sees neither its title nor its timeline and cannot reopen it; merged into a
 * public one (the control), they follow it as before.
 */
describe(`tracking link after a merge on ${storeName}`, () => {
	let store: TestStore;
	let at: [number, number];
	let admin: StaffUser;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const [p] = await store.db.query<{ x: number; y: number }>(
			`SELECT ST_X(ST_PointOnSurface(geom))::float8 x, ST_Y(ST_PointOnSurface(geom))::float8 y FROM area WHERE level = 'wijk' ORDER BY code LIMIT 1`
		);
		at = [p.x, p.y];
		const [u] = await store.db.query<{ id: number }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('b@gemeente.invalid', 'Beheer', 'beheerder') RETURNING id`
		);
		admin = {
			id: Number(u.id),
			email: 'b@gemeente.invalid',
			name: 'Beheer',
			role: 'beheerder',
			department: null,
			wijken: []
		};
	});
	afterAll(() => store?.dispose());

	async function mergedInto(category: string): Promise<{ token: string; target: number }> {
		const ctx = { actor: admin, client: null };
		const { ids, token } = await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			const res = await insertItems(tx, [
				{
					layer: 'meldingen',
					title: `DOEL-${category}`,
					description: 'Naam en huisnummer van de buren',
					theme: 'veiligheid',
					status: 'gemeld',
					category,
					geometry: { type: 'Point', coordinates: at }
				},
				{
					layer: 'meldingen',
					title: 'Nieuwe melding',
					description: 'Overlast',
					theme: 'veiligheid',
					status: 'gemeld',
					category,
					geometry: { type: 'Point', coordinates: at }
				}
			]);
			await tx.query(
				`UPDATE item SET moderation = 'te_beoordelen', published = false WHERE id = $1`,
				[res.ids[1]]
			);
			return {
				ids: res.ids as number[],
				token: (await createTracking(tx, res.ids[1]!, 'meldingen')).token
			};
		});
		await merge(store.db, ids[1], ids[0], ctx);
		const saved = await changeStatus(
			store.db,
			ids[0],
			1,
			'afgehandeld',
			`TIJDLIJN-${category}: bij de bewoner op nummer 12 geweest`,
			ctx
		);
		expect(saved.kind).toBe('ok');
		return { token, target: ids[0] };
	}

	it('merged into a sensitive melding: no title, status or timeline of it, and no reopening', async () => {
		const { token, target } = await mergedInto('woonoverlast');
		const [t] = await store.db.query<{ sensitive: boolean }>(
			'SELECT sensitive FROM item WHERE id = $1',
			[target]
		);
		expect(t.sensitive).toBe(true);
		const view = (await trackView(store.db, token))!;
		const text = JSON.stringify(view);
		expect(text).not.toContain('DOEL-woonoverlast');
		expect(text).not.toContain('TIJDLIJN-woonoverlast');
		expect(text).not.toContain('afgehandeld');
		expect(view.mergedInto).toBeNull();
		expect(view.askSolved).toBe(false);
		expect(await answerSolved(store.db, token, false, '10.0.0.1')).toBe('not-asked');
		const [after] = await store.db.query<{ status: string }>(
			'SELECT status FROM item WHERE id = $1',
			[target]
		);
		expect(after.status).toBe('afgehandeld');
	});

	it('merged into a public melding: the reporter follows it and may say it is not solved', async () => {
		const { token, target } = await mergedInto('straatverlichting');
		const view = (await trackView(store.db, token))!;
		expect(view.mergedInto?.title).toBe('DOEL-straatverlichting');
		expect(view.timeline.map((u) => u.text).join('\n')).toContain('TIJDLIJN-straatverlichting');
		expect(view.askSolved).toBe(true);
		expect(await answerSolved(store.db, token, false, '10.0.0.1')).toBe('ok');
		const [after] = await store.db.query<{ status: string }>(
			'SELECT status FROM item WHERE id = $1',
			[target]
		);
		expect(after.status).toBe('heropend');
	});
});
