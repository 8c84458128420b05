import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedirect } from '@sveltejs/kit';
import { POST as meldingPOST } from '../../src/routes/api/meldingen/+server.ts';
import { POST as initiativePOST } from '../../src/routes/api/initiatieven/+server.ts';
import { actions as meldenActions } from '../../src/routes/melden/+page.server.ts';
import { load as meldenLoad } from '../../src/routes/melden/+page.server.ts';
import { findTracking } from '../../src/lib/server/residents/tracking.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { freshStore, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';
import { event } from './residents-setup.ts';

const contentHash = async (db: TestStore['db']) =>
	(await storeHash(db)).replace(/rate_limit:[0-9a-f]+;/, '');

/** A resident's retry after a lost answer, or a form sent twice, must not make a second item. */
describe(`idempotent submissions (${storeName})`, () => {
	let store: TestStore;
	let client = 0;
	const next = () => `10.7.0.${++client}`;
	const DOM = { lat: 52.0907, lon: 5.1214 };

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await syncTaxonomy(store.db);
	}, 120_000);
	afterAll(() => store?.dispose());

	const post = (
		handler: (e: never) => Response | Promise<Response>,
		path: string,
		body: object,
		key?: string,
		c = next()
	) =>
		handler(
			event(store.db, path, {
				method: 'POST',
				client: c,
				body: JSON.stringify(body),
				headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }
			})
		);
	const count = async (text: string) =>
		(
			await store.db.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM item WHERE description = $1`,
				[text]
			)
		)[0].n;

	it('answers a repeated key with the first submission, tracking link included, and stores one melding', async () => {
		const key = randomUUID();
		const body = { category: 'afval', description: `Herhaald ${key}`, ...DOM };
		const first = await post(meldingPOST, '/api/meldingen', body, key);
		expect(first.status).toBe(201);
		const a = await first.json();
		// From another address, as a phone that changed network between the two tries.
		const again = await post(meldingPOST, '/api/meldingen', body, key);
		expect(again.status).toBe(200);
		const b = await again.json();
		expect(b).toEqual({ ...a, repeated: true });
		expect(await count(body.description)).toBe(1);
		const token = String(b.trackingUrl).split('/volg/')[1];
		expect(await findTracking(store.db, token)).toEqual({
			itemId: a.id,
			trackingNumber: a.trackingNumber
		});
	});

	it('keeps one item when two requests with one key race', async () => {
		const key = randomUUID();
		const body = {
			title: 'Moestuin',
			description: `Race ${key}`,
			theme: 'groen-water',
			group: 'Buren',
			...DOM
		};
		const answers = await Promise.all([
			post(initiativePOST, '/api/initiatieven', body, key),
			post(initiativePOST, '/api/initiatieven', body, key)
		]);
		expect(answers.map((r) => r.status).sort()).toEqual([200, 201]);
		const [x, y] = await Promise.all(answers.map((r) => r.json()));
		expect(x.trackingUrl).toBe(y.trackingUrl);
		expect(await count(body.description)).toBe(1);
	});

	it('makes two items without a key, and refuses a malformed key with nothing stored', async () => {
		const body = { category: 'afval', description: `Zonder sleutel ${randomUUID()}`, ...DOM };
		expect((await post(meldingPOST, '/api/meldingen', body)).status).toBe(201);
		expect((await post(meldingPOST, '/api/meldingen', body)).status).toBe(201);
		expect(await count(body.description)).toBe(2);
		const before = await contentHash(store.db);
		for (const key of [
			'kort',
			"x'; DROP TABLE item; --xxxxxxxx",
			'ü'.repeat(20),
			'a'.repeat(201)
		]) {
			const res = await post(meldingPOST, '/api/meldingen', { ...body, description: 'Nieuw' }, key);
			expect(res.status, key).toBe(400);
			expect((await res.json()).error).toMatch(/Idempotency-Key klopt niet/);
		}
		expect(await contentHash(store.db)).toBe(before);
	});

	it('sends a form posted twice to the same tracking page', async () => {
		const page = (await meldenLoad(event(store.db, '/melden') as never)) as {
			submissionKey: string;
		};
		expect(page.submissionKey).toMatch(/^[0-9a-f-]{36}$/);
		const description = `Formulier ${page.submissionKey}`;
		const send = async () => {
			const form = new FormData();
			for (const [k, v] of Object.entries({
				category: 'afval',
				description,
				lat: String(DOM.lat),
				lon: String(DOM.lon),
				pinMoved: '1',
				submissionKey: page.submissionKey
			}))
				form.set(k, v);
			try {
				await meldenActions.default(
					event(store.db, '/melden', { method: 'POST', body: form, client: next() }) as never
				);
			} catch (r) {
				if (isRedirect(r)) return r.location;
				throw r;
			}
			throw new Error('geen doorverwijzing');
		};
		const first = await send();
		expect(first).toMatch(/^\/volg\/[A-Za-z0-9_-]{43}\?nieuw=1$/);
		expect(await send()).toBe(first);
		expect(await count(description)).toBe(1);
	});
});
