import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { GET as detailGET } from '../../src/routes/api/items/[id]/+server.ts';
import { load as itemPageLoad } from '../../src/routes/item/[id]/+page.server.ts';
import { ValidationError } from '../../src/lib/domain/item-edit.ts';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import {
	changeStatus,
	createItem,
	restore,
	softDelete,
	updateItem,
	type Conflict,
	type Saved
} from '../../src/lib/server/items/edit.ts';
import { getItem } from '../../src/lib/server/items/read.ts';
import { getStaffItem } from '../../src/lib/server/items/staff-read.ts';
import { approve, merge, openMeldingen, queue, reject } from '../../src/lib/server/moderation.ts';
import { messageText } from '../../src/lib/i18n/localize.ts';
import { freshStore, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

type Pt = [number, number];

describe(`editing and moderation on ${storeName}`, () => {
	let store: TestStore;
	let anna: StaffUser;
	let bram: StaffUser;
	/** A point well inside each of two different wijken, from the store itself. */
	let wijkA: { code: string; p: Pt };
	let wijkB: { code: string; p: Pt };

	const ctx = (user: StaffUser) => ({ actor: user, client: '127.0.0.1' });
	const ok = (r: Saved | Conflict) => {
		if (r.kind !== 'ok') throw new Error(`verwacht opgeslagen, kreeg conflict: ${r.message.code}`);
		return r.item;
	};
	async function fieldsOf(p: Promise<unknown>): Promise<Record<string, string>> {
		try {
			await p;
		} catch (err) {
			if (err instanceof ValidationError) return err.fields;
			throw err;
		}
		throw new Error('verwacht een ValidationError');
	}
	const near = ([x, y]: Pt, dx: number, dy: number): Pt => [x + dx, y + dy];
	async function auditRows(id: number) {
		return store.db.query<{
			action: string;
			actor: string;
			actor_email: string;
			before: any;
			after: any;
		}>(
			`SELECT action, actor, actor_email, before, after FROM audit_log WHERE entity = 'item' AND entity_id = $1 ORDER BY id`,
			[String(id)]
		);
	}
	async function publicList(q: string) {
		const url = new URL(`/api/items?q=${encodeURIComponent(q)}&limit=100`, 'http://wijkkaart.test');
		const res = await listGET({
			url,
			params: {},
			locals: { db: store.db },
			request: new Request(url)
		} as never);
		return (await res.json()) as { features: { id: number }[] };
	}
	async function publicDetailStatus(id: number) {
		const url = new URL(`/api/items/${id}`, 'http://wijkkaart.test');
		const res = await detailGET({
			url,
			params: { id: String(id) },
			locals: { db: store.db },
			request: new Request(url)
		} as never);
		return res.status;
	}
	async function itemPageStatus(id: number): Promise<number> {
		try {
			await itemPageLoad({ params: { id: String(id) }, locals: { db: store.db } } as never);
			return 200;
		} catch (err) {
			return (err as { status?: number }).status ?? 500;
		}
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const users = await store.db.query<{ id: number | string; email: string; name: string }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('anna@gemeente.invalid', 'Anna de Vries', 'beheerder'),
			 ('bram@gemeente.invalid', 'Bram Jansen', 'beheerder') RETURNING id, email, name`
		);
		// Both may write anywhere: who may write where is tests/integration/authz-writes.test.ts's subject.
		[anna, bram] = users.map((u) => ({
			id: Number(u.id),
			email: u.email,
			name: u.name,
			role: 'beheerder',
			department: null,
			wijken: []
		}));
		const pts = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT code, ST_X(ST_PointOnSurface(geom))::float8 x, ST_Y(ST_PointOnSurface(geom))::float8 y
			 FROM area WHERE level = 'wijk' ORDER BY code LIMIT 2`
		);
		wijkA = { code: pts[0].code, p: [pts[0].x, pts[0].y] };
		wijkB = { code: pts[1].code, p: [pts[1].x, pts[1].y] };
	});
	afterAll(() => store?.dispose());

	it('creates an item of each layer with a point, line or polygon, assigns its areas and audits it', async () => {
		const [x, y] = wijkA.p;
		const d = 0.0004;
		const made = [
			ok(
				await createItem(
					store.db,
					{
						layer: 'meldingen',
						title: 'Lantaarnpaal stuk',
						category: 'straatverlichting',
						geometry: { type: 'Point', coordinates: [x, y] }
					},
					ctx(anna)
				)
			),
			ok(
				await createItem(
					store.db,
					{
						layer: 'projecten',
						title: 'Herinrichting straat',
						theme: 'verkeer',
						geometry: {
							type: 'LineString',
							coordinates: [near(wijkA.p, -d, 0), near(wijkA.p, d, 0)]
						},
						details: { budget: '€ 125.000', participation: 'raadplegen' }
					},
					ctx(anna)
				)
			),
			ok(
				await createItem(
					store.db,
					{
						layer: 'initiatieven',
						title: 'Geveltuinen',
						theme: 'groen-water',
						status: 'aangevraagd',
						geometry: {
							type: 'Polygon',
							coordinates: [
								[
									near(wijkA.p, -d, -d),
									near(wijkA.p, d, -d),
									near(wijkA.p, d, d),
									near(wijkA.p, -d, d),
									near(wijkA.p, -d, -d)
								]
							]
						},
						details: { fund: 'wijkbudget', budgetRequested: 1500 }
					},
					ctx(anna)
				)
			),
			ok(
				await createItem(
					store.db,
					{
						layer: 'bijeenkomsten',
						title: 'Wijkavond',
						theme: 'sociale-cohesie',
						startsAt: '2026-12-01T19:30:00+01:00',
						geometry: { type: 'Point', coordinates: [x, y] },
						details: { eventType: 'inloop' }
					},
					ctx(anna)
				)
			)
		];
		expect(made.map((m) => [m.layer, m.status, m.geometry.type])).toEqual([
			['meldingen', 'gemeld', 'Point'],
			['projecten', 'verkenning', 'LineString'],
			['initiatieven', 'aangevraagd', 'Polygon'],
			['bijeenkomsten', 'gepland', 'Point']
		]);
		for (const m of made) {
			expect(m.areas.wijk).toBe(wijkA.code);
			expect(m.version).toBe(1);
			expect(m.updatedByName).toBe('Anna de Vries');
			const rows = await auditRows(m.id);
			expect(rows.map((r) => [r.action, r.actor, r.actor_email])).toEqual([
				['item.create', `user:${anna.id}`, anna.email]
			]);
			expect(rows[0].before).toBeNull();
			expect(rows[0].after.title).toBe(m.title);
			// Staff items are public at once.
			expect(await getItem(store.db, m.id)).not.toBeNull();
		}
		expect(made[0].theme).toBe('openbare-ruimte');
		expect(made[1].details).toEqual({ budget: 125000, participation: 'raadplegen' });
		expect(made[3].startsAt).toBe('2026-12-01T18:30:00.000Z');
	});

	it('refuses invalid geometry and other bad input at the field, writing nothing', async () => {
		const before = await storeHash(store.db);
		const [x, y] = wijkA.p;
		const d = 0.0005;
		const base = { layer: 'initiatieven', title: 'Proef', theme: 'groen-water' };
		const bowtie = [
			[
				[x - d, y - d],
				[x + d, y + d],
				[x + d, y - d],
				[x - d, y + d],
				[x - d, y - d]
			]
		];
		const cases: [unknown, string, RegExp][] = [
			[
				{ ...base, geometry: { type: 'Polygon', coordinates: bowtie } },
				'geometry',
				/snijdt zichzelf/
			],
			[
				{ ...base, geometry: { type: 'LineString', coordinates: [[x, y]] } },
				'geometry',
				/minstens twee/
			],
			[
				{
					...base,
					geometry: {
						type: 'Polygon',
						coordinates: [
							[
								[x, y],
								[x + d, y],
								[x, y]
							]
						]
					}
				},
				'geometry',
				/minstens drie/
			],
			[
				{ ...base, geometry: { type: 'Point', coordinates: [4.3, 52.08] } },
				'geometry',
				/buiten de gemeente/
			],
			[
				{
					...base,
					geometry: {
						type: 'LineString',
						coordinates: [
							[x, y],
							[4.3, 52.08]
						]
					}
				},
				'geometry',
				/buiten de gemeente/
			],
			[{ ...base }, 'geometry', /Teken een punt/],
			[
				{ ...base, title: '  ', geometry: { type: 'Point', coordinates: [x, y] } },
				'title',
				/titel/i
			],
			[
				{ ...base, theme: 'onzin', geometry: { type: 'Point', coordinates: [x, y] } },
				'theme',
				/onbekend thema/i
			],
			[
				{
					...base,
					details: { budgetRequested: 'veel' },
					geometry: { type: 'Point', coordinates: [x, y] }
				},
				'details.budgetRequested',
				/geen bedrag/
			],
			[
				{
					layer: 'bijeenkomsten',
					title: 'Zonder tijd',
					theme: 'cultuur-sport',
					geometry: { type: 'Point', coordinates: [x, y] }
				},
				'startsAt',
				/begintijd/
			]
		];
		for (const [input, field, message] of cases) {
			const fields = await fieldsOf(createItem(store.db, input, ctx(anna)));
			expect(fields[field], JSON.stringify(fields)).toMatch(message);
		}
		expect(await storeHash(store.db)).toBe(before);
	});

	it('assigns the areas again when an edit moves the geometry to another wijk', async () => {
		const item = ok(
			await createItem(
				store.db,
				{
					layer: 'projecten',
					title: 'Verhuisproject',
					theme: 'wonen-bouwen',
					geometry: { type: 'Point', coordinates: wijkA.p }
				},
				ctx(anna)
			)
		);
		expect(item.areas.wijk).toBe(wijkA.code);
		const moved = ok(
			await updateItem(
				store.db,
				item.id,
				1,
				{ geometry: { type: 'Point', coordinates: wijkB.p }, description: 'Nu elders' },
				ctx(anna)
			)
		);
		expect(moved.areas.wijk).toBe(wijkB.code);
		expect(moved.version).toBe(2);
		expect(moved.description).toBe('Nu elders');
		const [, upd] = await auditRows(item.id);
		expect(upd.action).toBe('item.update');
		expect([upd.before.areas.wijk, upd.after.areas.wijk]).toEqual([wijkA.code, wijkB.code]);
		// Moving it out of the municipality is refused and leaves it where it was.
		const fields = await fieldsOf(
			updateItem(
				store.db,
				item.id,
				2,
				{ geometry: { type: 'Point', coordinates: [4.3, 52.08] } },
				ctx(anna)
			)
		);
		expect(fields.geometry).toMatch(/buiten de gemeente/);
		expect((await getStaffItem(store.db, item.id))!.areas.wijk).toBe(wijkB.code);
	});

	it('refuses a status change without public text; with text it lands on the public timeline', async () => {
		const item = ok(
			await createItem(
				store.db,
				{
					layer: 'projecten',
					title: 'Fietspad',
					theme: 'verkeer',
					geometry: { type: 'Point', coordinates: wijkA.p }
				},
				ctx(anna)
			)
		);
		const before = await storeHash(store.db);
		expect(
			(await fieldsOf(changeStatus(store.db, item.id, 1, 'uitvoering', '   ', ctx(anna))))
				.publicText
		).toMatch(/openbare toelichting/);
		expect(
			(await fieldsOf(changeStatus(store.db, item.id, 1, 'gemeld', 'Tekst', ctx(anna)))).status
		).toMatch(/onbekende status/i);
		expect(await storeHash(store.db)).toBe(before);
		const done = ok(
			await changeStatus(
				store.db,
				item.id,
				1,
				'uitvoering',
				'De schop gaat in de grond op 1 december.',
				ctx(anna)
			)
		);
		expect([done.status, done.version]).toEqual(['uitvoering', 2]);
		const pub = await getItem(store.db, item.id);
		expect(pub!.properties.timeline).toEqual([
			expect.objectContaining({
				from: 'verkenning',
				to: 'uitvoering',
				text: 'De schop gaat in de grond op 1 december.'
			})
		]);
		const rows = await auditRows(item.id);
		expect(rows.at(-1)!.action).toBe('item.status');
		expect([rows.at(-1)!.before.status, rows.at(-1)!.after.status]).toEqual([
			'verkenning',
			'uitvoering'
		]);
		// Rejecting an initiative needs the public reason too.
		const ini = ok(
			await createItem(
				store.db,
				{
					layer: 'initiatieven',
					title: 'Bankje',
					theme: 'sociale-cohesie',
					geometry: { type: 'Point', coordinates: wijkA.p }
				},
				ctx(anna)
			)
		);
		expect(
			(await fieldsOf(changeStatus(store.db, ini.id, 1, 'afgewezen', 'Helaas', ctx(anna)))).reason
		).toMatch(/reden van afwijzing/);
		const rej = ok(
			await changeStatus(store.db, ini.id, 1, 'afgewezen', 'Helaas', ctx(anna), {
				reason: 'Past niet in het fonds'
			})
		);
		expect(rej.details.rejectionReason).toBe('Past niet in het fonds');
	});

	it('lets one of two concurrent edits of the same version win; the other gets both versions back', async () => {
		const item = ok(
			await createItem(
				store.db,
				{
					layer: 'initiatieven',
					title: 'Buurtmoestuin',
					theme: 'groen-water',
					geometry: { type: 'Point', coordinates: wijkA.p }
				},
				ctx(anna)
			)
		);
		const results = await Promise.all([
			updateItem(
				store.db,
				item.id,
				1,
				{ title: 'Buurtmoestuin Anna', description: 'Versie van Anna' },
				ctx(anna)
			),
			updateItem(
				store.db,
				item.id,
				1,
				{ title: 'Buurtmoestuin Bram', description: 'Versie van Bram' },
				ctx(bram)
			)
		]);
		const won = results.filter((r) => r.kind === 'ok') as Saved[];
		const lost = results.filter((r) => r.kind === 'conflict') as Conflict[];
		expect([won.length, lost.length]).toEqual([1, 1]);
		const winner = won[0].item;
		const c = lost[0];
		expect(winner.version).toBe(2);
		expect(c.stored.title).toBe(winner.title);
		expect(c.stored.version).toBe(2);
		const winnerName = winner.title.endsWith('Anna') ? 'Anna de Vries' : 'Bram Jansen';
		expect(c.updatedBy).toBe(winnerName);
		expect(messageText('nl', c.message.code, c.message.params)).toMatch(
			new RegExp(`gewijzigd door ${winnerName} om \\d{2}-\\d{2}-\\d{4},? \\d{2}:\\d{2}`)
		);
		// The loser's input is handed back whole.
		expect((c.yours as { title: string }).title).not.toBe(winner.title);
		expect((c.yours as { title: string }).title).toMatch(/^Buurtmoestuin (Anna|Bram)$/);
		const stored = (await getStaffItem(store.db, item.id))!;
		expect([stored.title, stored.version]).toEqual([winner.title, 2]);
		expect((await auditRows(item.id)).map((r) => r.action)).toEqual(['item.create', 'item.update']);
		// A status change from the stale version is refused the same way.
		const stale = await changeStatus(store.db, item.id, 1, 'toegekend', 'Toegekend!', ctx(bram));
		expect(stale.kind).toBe('conflict');
	});

	it('soft delete hides the item from /api/items, /api/items/<id> and /item/<id>; restore brings it back', async () => {
		const item = ok(
			await createItem(
				store.db,
				{
					layer: 'meldingen',
					title: 'Zwerfvuil Verwijdertest',
					category: 'afval',
					geometry: { type: 'Point', coordinates: wijkA.p }
				},
				ctx(anna)
			)
		);
		expect((await publicList('Verwijdertest')).features.map((f) => f.id)).toEqual([item.id]);
		expect(await itemPageStatus(item.id)).toBe(200);
		const gone = ok(await softDelete(store.db, item.id, 1, ctx(anna)));
		expect(gone.deletedAt).not.toBeNull();
		expect((await publicList('Verwijdertest')).features).toEqual([]);
		expect(await publicDetailStatus(item.id)).toBe(404);
		expect(await itemPageStatus(item.id)).toBe(404);
		expect((await fieldsOf(updateItem(store.db, item.id, 2, { title: 'x' }, ctx(anna))))._).toMatch(
			/verwijderd/
		);
		const back = ok(await restore(store.db, item.id, 2, ctx(anna)));
		expect([back.deletedAt, back.version]).toEqual([null, 3]);
		expect((await publicList('Verwijdertest')).features.map((f) => f.id)).toEqual([item.id]);
		expect(await publicDetailStatus(item.id)).toBe(200);
		expect(await itemPageStatus(item.id)).toBe(200);
		const rows = await auditRows(item.id);
		expect(rows.map((r) => r.action)).toEqual(['item.create', 'item.delete', 'item.restore']);
		expect([rows[1].before.deletedAt, typeof rows[1].after.deletedAt]).toEqual([null, 'string']);
	});

	describe('moderation', () => {
		/** A resident submission as the residents' form writes it: unpublished, awaiting review. */
		async function submission(input: Record<string, unknown>): Promise<number> {
			const item = ok(await createItem(store.db, input, ctx(anna)));
			await store.db.query(
				`UPDATE item SET published = false, moderation = 'te_beoordelen', updated_by = NULL WHERE id = $1`,
				[item.id]
			);
			return item.id;
		}

		it('lists pending submissions, filtered by wijk and theme', async () => {
			const a = await submission({
				layer: 'meldingen',
				title: 'Kapotte stoep',
				category: 'wegen',
				geometry: { type: 'Point', coordinates: wijkA.p }
			});
			const b = await submission({
				layer: 'initiatieven',
				title: 'Voorstel speeltuin',
				theme: 'jeugd-onderwijs',
				geometry: { type: 'Point', coordinates: wijkB.p }
			});
			await store.db.query(
				`INSERT INTO tracking (token_hash, item_id, tracking_number) VALUES ($1, $2, 'M-2026-000123')`,
				['a'.repeat(64), a]
			);
			const all = await queue(store.db);
			expect(all.map((e) => e.id)).toEqual(expect.arrayContaining([a, b]));
			expect(all.find((e) => e.id === a)!.trackingNumber).toBe('M-2026-000123');
			expect((await queue(store.db, { wijk: wijkB.code })).map((e) => e.id)).toEqual([b]);
			expect((await queue(store.db, { theme: 'verkeer' })).map((e) => e.id)).toEqual([a]);
			expect(await getItem(store.db, a)).toBeNull();
		});

		it('approve publishes; reject keeps it hidden with the reason; merge points the melding at its target', async () => {
			const m1 = await submission({
				layer: 'meldingen',
				title: 'Losse tegel',
				category: 'wegen',
				geometry: { type: 'Point', coordinates: wijkA.p }
			});
			const approved = await approve(store.db, m1, ctx(bram));
			expect([approved.published, approved.moderation]).toEqual([true, 'goedgekeurd']);
			expect(await getItem(store.db, m1)).not.toBeNull();
			expect((await fieldsOf(approve(store.db, m1, ctx(bram))))._).toMatch(/wacht niet/);

			const ini = await submission({
				layer: 'initiatieven',
				title: 'Voorstel jeu-de-boules',
				theme: 'cultuur-sport',
				status: 'idee',
				geometry: { type: 'Point', coordinates: wijkA.p }
			});
			expect((await fieldsOf(reject(store.db, ini, '  ', ctx(bram)))).reason).toMatch(/reden/);
			const rejected = await reject(
				store.db,
				ini,
				'Hiervoor is al een baan in het park.',
				ctx(bram)
			);
			expect([
				rejected.moderation,
				rejected.moderationReason,
				rejected.status,
				rejected.details.rejectionReason,
				rejected.published
			]).toEqual([
				'afgewezen',
				'Hiervoor is al een baan in het park.',
				'afgewezen',
				'Hiervoor is al een baan in het park.',
				false
			]);
			expect(await getItem(store.db, ini)).toBeNull();

			const dup = await submission({
				layer: 'meldingen',
				title: 'Tegel los',
				category: 'wegen',
				geometry: { type: 'Point', coordinates: wijkA.p }
			});
			expect((await fieldsOf(merge(store.db, dup, ini, ctx(bram)))).target).toMatch(/geen melding/);
			expect((await fieldsOf(merge(store.db, dup, dup, ctx(bram)))).target).toMatch(/zichzelf/);
			const merged = await merge(store.db, dup, m1, ctx(bram));
			expect([merged.moderation, merged.mergedInto, merged.published]).toEqual([
				'samengevoegd',
				m1,
				false
			]);
			expect((await getItem(store.db, m1))!.properties.timeline.at(-1)!.text).toMatch(
				/vergelijkbare melding/
			);
			expect((await queue(store.db)).map((e) => e.id)).not.toContain(dup);

			// Approved and still open: staff answer it from the moderation page until it is closed.
			expect((await openMeldingen(store.db, { wijk: wijkA.code })).map((e) => e.id)).toContain(m1);
			expect((await openMeldingen(store.db, { wijk: wijkB.code })).map((e) => e.id)).not.toContain(
				m1
			);
			const cur = (await getStaffItem(store.db, m1))!;
			ok(
				await changeStatus(
					store.db,
					m1,
					cur.version,
					'afgehandeld',
					'De tegel ligt weer vast.',
					ctx(bram)
				)
			);
			expect((await openMeldingen(store.db)).map((e) => e.id)).not.toContain(m1);
			expect((await openMeldingen(store.db)).map((e) => e.id)).not.toContain(dup);

			const [moderated] = await store.db.query<{ n: number }>(
				`SELECT count(*)::int n FROM item WHERE id = ANY($1::bigint[]) AND moderated_at IS NOT NULL`,
				[[m1, ini, dup]]
			);
			expect(moderated.n).toBe(3);
			for (const [id, action] of [
				[m1, 'moderation.approve'],
				[ini, 'moderation.reject'],
				[dup, 'moderation.merge']
			] as const) {
				const row = (await auditRows(id)).find((r) => r.action.startsWith('moderation.'))!;
				expect([row.action, row.actor, row.before.moderation]).toEqual([
					action,
					`user:${bram.id}`,
					'te_beoordelen'
				]);
				expect(row.after.moderation).not.toBe('te_beoordelen');
			}
		});
	});
});
