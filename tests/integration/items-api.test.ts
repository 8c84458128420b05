import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { GET as detailGET } from '../../src/routes/api/items/[id]/+server.ts';
import { GET as themesGET } from '../../src/routes/api/themes/+server.ts';
import { GET as summaryGET } from '../../src/routes/api/areas/[code]/summary/+server.ts';
import { STATUSES } from '../../src/lib/domain/layers.ts';
import { isOverdue } from '../../src/lib/domain/sla.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { listItems } from '../../src/lib/server/items/read.ts';
import { parseItemQuery } from '../../src/lib/domain/filters.ts';
import { themeIds } from '../../src/lib/domain/themes.ts';
import { taxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

type Handler = (event: never) => Promise<Response> | Response;
interface Page {
	type: string;
	features: {
		id: number;
		geometry: { type: string; coordinates: number[] };
		properties: Record<string, any>;
	}[];
	numberReturned: number;
	numberMatched?: number;
	next: string | null;
}

describe(`items API on ${storeName}`, () => {
	let store: TestStore;
	let written = 0;
	const sensitiveIds = new Set(['woonoverlast', 'overlast-personen']);

	async function call(handler: Handler, path: string, params: Record<string, string> = {}) {
		const url = new URL(path, 'http://wijkkaart.test');
		const res = await handler({
			url,
			params,
			locals: { db: store.db },
			request: new Request(url)
		} as never);
		return { res, text: await res.text() };
	}
	async function items(qs: string): Promise<Page> {
		const { res, text } = await call(listGET, `/api/items?${qs}`);
		expect(res.status, text).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
		return JSON.parse(text);
	}
	async function all(qs: string): Promise<Page['features']> {
		const out: Page['features'] = [];
		let cursor: string | null = null;
		do {
			const page: Page = await items(`${qs}&limit=5000${cursor ? `&cursor=${cursor}` : ''}`);
			out.push(...page.features);
			cursor = page.next;
		} while (cursor);
		return out;
	}
	async function bad(qs: string): Promise<string> {
		const { res, text } = await call(listGET, `/api/items?${qs}`);
		expect(res.status, text).toBe(400);
		return JSON.parse(text).error;
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		({ written } = await writeUtrechtFixtures(store.db, {
			meldingen: 3000,
			contactDomain: 'melder.invalid'
		}));
	});
	afterAll(() => store?.dispose());

	it('counts every public item exactly once over the themes, and leaves sensitive meldingen out', async () => {
		const total = (await items('count=true&limit=1')).numberMatched!;
		const [{ n: sensitive }] = await store.db.query<{ n: number }>(
			'SELECT count(*)::int AS n FROM item WHERE sensitive'
		);
		expect(sensitive).toBeGreaterThan(10);
		expect(total).toBe(written - sensitive);
		let sum = 0;
		for (const t of taxonomy().themes) {
			const page = await items(`theme=${t.id}&count=true&limit=1`);
			sum += page.numberMatched!;
		}
		expect(sum).toBe(total);
		const perLayer = await Promise.all(
			['initiatieven', 'projecten', 'meldingen', 'bijeenkomsten'].map((l) =>
				items(`layer=${l}&count=true&limit=1`)
			)
		);
		expect(perLayer.reduce((n, p) => n + p.numberMatched!, 0)).toBe(total);
		expect(perLayer.every((p) => p.numberMatched! > 0)).toBe(true);
	});

	it('pages with an opaque cursor through all matches without repeats', async () => {
		const first = await items('layer=meldingen&limit=700&count=true');
		expect(first.numberReturned).toBe(700);
		expect(first.next).toBeTruthy();
		const ids: number[] = [];
		let cursor: string | null = null;
		do {
			const page: Page = await items(
				`layer=meldingen&limit=700${cursor ? `&cursor=${cursor}` : ''}`
			);
			ids.push(...page.features.map((f) => f.id));
			cursor = page.next;
		} while (cursor);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBe(first.numberMatched);
	});

	it('gives every item its wijk and a buurt inside that wijk', async () => {
		const features = await all('layer=meldingen,projecten,initiatieven,bijeenkomsten');
		const parents = new Map(
			(
				await store.db.query<{ code: string; parent: string }>(
					`SELECT code, parent FROM area WHERE level = 'buurt'`
				)
			).map((r) => [r.code, r.parent])
		);
		for (const f of features) {
			expect(f.properties.areas.wijk, JSON.stringify(f.properties)).toMatch(/^\d\d$/);
			expect(parents.get(f.properties.areas.buurt)).toBe(f.properties.areas.wijk);
		}
		const shapes = new Set(
			features.filter((f) => f.properties.layer === 'projecten').map((f) => f.geometry.type)
		);
		expect(shapes).toEqual(new Set(['Point', 'LineString', 'Polygon']));
	});

	it('filters on bbox, area, theme, layer, status, dates and text', async () => {
		const bbox = [5.1, 52.08, 5.13, 52.1];
		const inBox = await all(`layer=meldingen&bbox=${bbox.join(',')}`);
		expect(inBox.length).toBeGreaterThan(50);
		for (const f of inBox) {
			const [x, y] = f.geometry.coordinates;
			expect(x >= bbox[0] && x <= bbox[2] && y >= bbox[1] && y <= bbox[3]).toBe(true);
		}

		const wijk = await all('area=03');
		expect(wijk.length).toBeGreaterThan(100);
		expect(wijk.every((f) => f.properties.areas.wijk === '03')).toBe(true);
		const buurt = await all('area=0311');
		expect(buurt.every((f) => f.properties.areas.buurt === '0311')).toBe(true);
		expect(buurt.length).toBeLessThan(wijk.length);

		const combo = await all('theme=verkeer&layer=meldingen&status=gemeld,heropend&area=03');
		expect(combo.length).toBeGreaterThan(0);
		for (const f of combo) {
			expect(f.properties).toMatchObject({
				theme: 'verkeer',
				layer: 'meldingen',
				areas: { wijk: '03' }
			});
			expect(['gemeld', 'heropend']).toContain(f.properties.status);
		}

		const today = new Date().toISOString().slice(0, 10);
		const ahead = await all(`layer=bijeenkomsten&from=${today}`);
		expect(ahead.length).toBeGreaterThan(0);
		for (const f of ahead) {
			expect(f.properties.startsAt >= `${today}T00:00:00.000Z`).toBe(true);
			expect(f.properties.date).toBe(f.properties.startsAt);
		}
		const recent = await all(
			`layer=meldingen&from=${new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)}&to=${today}`
		);
		expect(recent.length).toBeGreaterThan(0);
		expect(recent.length).toBeLessThan(3000);

		const street = inBox[0].properties.title.split(', ').pop();
		const found = await all(`q=${encodeURIComponent(street.toUpperCase())}`);
		expect(found.length).toBeGreaterThan(0);
		for (const f of found) {
			const { properties } = JSON.parse(
				(await call(detailGET, `/api/items/${f.id}`, { id: String(f.id) })).text
			);
			expect(`${properties.title} ${properties.description}`.toLowerCase()).toContain(
				street.toLowerCase()
			);
		}
	});

	it('sends each geometry as the store holds it, and counts an area page from one WHERE clause', async () => {
		const page = await items('layer=meldingen&bbox=5.1,52.08,5.13,52.1&limit=40');
		expect(page.features.length).toBe(40);
		const stored = await store.db.query<{ id: number; x: number; y: number }>(
			'SELECT id::int, ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM item WHERE id = ANY($1::bigint[])',
			[page.features.map((f) => f.id)]
		);
		const at = new Map(stored.map((r) => [r.id, [r.x, r.y]]));
		for (const f of page.features) {
			expect(f.geometry.type).toBe('Point');
			expect(Math.abs(f.geometry.coordinates[0] - at.get(f.id)![0])).toBeLessThan(1e-6);
			expect(Math.abs(f.geometry.coordinates[1] - at.get(f.id)![1])).toBeLessThan(1e-6);
		}
		// The area's levels are looked up once for the page and its count (a spy on the store).
		const seen: string[] = [];
		const spy = {
			query: (text: string, params?: unknown[]) => (seen.push(text), store.db.query(text, params))
		};
		const counted = await listItems(
			spy as never,
			parseItemQuery(new URLSearchParams('area=03&count=true&limit=10'), themeIds(taxonomy()))
		);
		expect(seen.filter((t) => /FROM area WHERE code/.test(t))).toHaveLength(1);
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM item WHERE areas ->> 'wijk' = '03' AND published AND NOT sensitive AND deleted_at IS NULL`
		);
		expect(counted.numberMatched).toBe(n);
		expect(counted.features).toHaveLength(10);
	});

	it('flags overdue meldingen by the same rule as the domain function', async () => {
		const meldingen = await all('layer=meldingen');
		const now = new Date();
		let overdue = 0;
		for (const f of meldingen) {
			const p = f.properties;
			if (p.dueAt && Math.abs(new Date(p.dueAt).getTime() - now.getTime()) < 60_000) continue;
			expect(p.overdue, JSON.stringify(p)).toBe(
				isOverdue(
					{ layer: 'meldingen', status: p.status, dueAt: p.dueAt ? new Date(p.dueAt) : null },
					now
				)
			);
			if (p.overdue) overdue++;
		}
		expect(overdue).toBeGreaterThan(20);
		expect((await all('layer=projecten')).every((f) => f.properties.overdue === false)).toBe(true);
	});

	it('shows an item with its areas by name, its public timeline and its links', async () => {
		const [{ id }] = await store.db.query<{ id: string }>(
			`SELECT i.id FROM item i JOIN item_link l ON l.item_id = i.id WHERE i.layer = 'bijeenkomsten' ORDER BY i.id LIMIT 1`
		);
		const { res, text } = await call(detailGET, `/api/items/${id}`, { id: String(id) });
		expect(res.status).toBe(200);
		const item = JSON.parse(text);
		expect(item.type).toBe('Feature');
		expect(item.properties.areas.map((a: { level: string }) => a.level)).toEqual(['wijk', 'buurt']);
		expect(item.properties.areas[0].name).toBeTruthy();
		expect(item.properties.timeline[0]).toMatchObject({ from: null, to: 'gepland' });
		expect(item.properties.updatedAt).toBe(item.properties.timeline.at(-1).at);
		expect(item.properties.links.length).toBeGreaterThan(0);
		expect(item.properties.details.participation).toBeTruthy();
		expect(item.properties.details.influence).toBeTruthy();

		expect((await call(detailGET, '/api/items/abc', { id: 'abc' })).res.status).toBe(400);
		const missing = await call(detailGET, '/api/items/999999999', { id: '999999999' });
		expect(missing.res.status).toBe(404);
		expect(JSON.parse(missing.text).error).toMatch(/bestaat niet/);
	});

	it('never shows reporters, nor sensitive meldingen other than as counts of at least five per buurt', async () => {
		const bodies: string[] = [];
		const features = await all('layer=meldingen');
		bodies.push(JSON.stringify(features));
		expect(features.some((f) => sensitiveIds.has(f.properties.category))).toBe(false);
		bodies.push((await call(listGET, '/api/items?format=csv&limit=5000')).text);
		for (const f of features.slice(0, 40))
			bodies.push((await call(detailGET, `/api/items/${f.id}`, { id: String(f.id) })).text);
		bodies.push((await call(themesGET, '/api/themes')).text);
		const sensitiveRows = await store.db.query<{
			id: string;
			buurt: string;
			wijk: string;
			category: string;
		}>(
			`SELECT id, areas->>'buurt' AS buurt, areas->>'wijk' AS wijk, category FROM item WHERE sensitive`
		);
		for (const r of sensitiveRows.slice(0, 5)) {
			const hidden = await call(detailGET, `/api/items/${r.id}`, { id: String(r.id) });
			expect(hidden.res.status).toBe(404);
			bodies.push(hidden.text);
		}
		// The true counts per buurt and category, to hold the aggregates against.
		const truth = new Map<string, number>();
		for (const r of sensitiveRows)
			truth.set(`${r.buurt}|${r.category}`, (truth.get(`${r.buurt}|${r.category}`) ?? 0) + 1);
		expect([...truth.values()].some((n) => n < 5)).toBe(true);
		expect([...truth.values()].some((n) => n >= 5)).toBe(true);
		const published = new Map<string, number>();
		const wijken = await store.db.query<{ code: string }>(
			`SELECT code FROM area WHERE level = 'wijk'`
		);
		for (const w of wijken) {
			const { res, text } = await call(summaryGET, `/api/areas/${w.code}/summary`, {
				code: w.code
			});
			expect(res.status).toBe(200);
			bodies.push(text);
			for (const s of JSON.parse(text).sensitive) published.set(`${s.code}|${s.category}`, s.count);
		}
		expect(published).toEqual(new Map([...truth].filter(([, n]) => n >= 5)));

		const [{ n: contacts }] = await store.db.query<{ n: number }>(
			'SELECT count(*)::int AS n FROM melding_contact'
		);
		expect(contacts).toBeGreaterThan(2000);
		const everything = bodies.join('\n');
		expect(everything).not.toMatch(/melder\.invalid|melder-\d+/);
		expect(everything).not.toMatch(/06-\d{8}/);
		expect(everything).not.toMatch(/"(email|phone|contact)"/);
	});

	it('summarises an area of any level as counts per layer × theme × status that match the list', async () => {
		for (const code of ['05', '0526']) {
			const { text } = await call(summaryGET, `/api/areas/${code}/summary`, { code });
			const s = JSON.parse(text);
			expect(s.area.code).toBe(code);
			expect(s.counts.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(s.total);
			expect(s.total).toBe((await items(`area=${code}&count=true&limit=1`)).numberMatched);
			expect(s.overdue).toBe(
				(await all(`area=${code}&layer=meldingen`)).filter((f) => f.properties.overdue).length
			);
			for (const c of s.counts)
				expect(STATUSES[c.layer as keyof typeof STATUSES].some((x) => x.id === c.status)).toBe(
					true
				);
		}
		const unknown = await call(summaryGET, '/api/areas/99/summary', { code: '99' });
		expect(unknown.res.status).toBe(404);
	});

	it('exports CSV that a spreadsheet cannot turn into a formula', async () => {
		await store.db.transaction((tx) =>
			insertItems(tx, [
				{
					layer: 'initiatieven',
					title: '=HYPERLINK("http://evil.example","klik")',
					description: '',
					theme: 'economie',
					status: 'idee',
					geometry: { type: 'Point', coordinates: [5.118501, 52.109981] }
				}
			])
		);
		const { res, text } = await call(
			listGET,
			'/api/items?format=csv&layer=initiatieven&theme=economie&limit=5000'
		);
		expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
		const lines = text
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe(
			[
				'id',
				'laag',
				'titel',
				'thema',
				'themas',
				'status',
				'categorie',
				'subcategorie',
				'wijk',
				'buurt',
				'datum',
				'aangemaakt',
				'bijgewerkt',
				'begin',
				'eind',
				'termijn',
				'te_laat',
				'lon',
				'lat',
				'geometrie_wkt'
			]
				.map((h) => `"${h}"`)
				.join(',')
		);
		const evil = lines.find((l) => l.includes('HYPERLINK'))!;
		expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""klik"")"`);
		expect(evil).toContain(',"0311",');
		expect(lines.slice(1).every((l) => l.split(',')[1] === '"initiatieven"')).toBe(true);
	});

	it('answers bad parameters with 400 and a Dutch message naming the parameter', async () => {
		expect(await bad('bbox=5,52,5.1')).toMatch(/^bbox moet vier getallen zijn/);
		expect(await bad('bbox=5.2,52,5.1,52.1')).toMatch(/^bbox: minimum groter dan maximum/);
		expect(await bad('theme=sport')).toMatch(
			/^onbekend theme "sport"; toegestaan: openbare-ruimte, groen-water/
		);
		expect(await bad('layer=wegen')).toMatch(
			/toegestaan: initiatieven, projecten, meldingen, bijeenkomsten/
		);
		expect(await bad('status=klaar')).toMatch(/^onbekende status "klaar"/);
		expect(await bad('limit=0')).toMatch(/^limit moet een positief geheel getal zijn/);
		expect(await bad('from=morgen')).toMatch(/^from "morgen" is geen datum/);
		expect(await bad('area=99')).toBe('onbekend gebied "99" (parameter area)');
		expect(await bad('cursor=abc')).toMatch(/^cursor is ongeldig/);
	});

	it('lists themes with colours fit for text or marked fill-only, categories and layers', async () => {
		const body = JSON.parse((await call(themesGET, '/api/themes')).text);
		expect(body.themes).toHaveLength(11);
		for (const t of body.themes) expect(t.fillOnly).toBe(t.contrastOnWhite < 4.5);
		expect(body.categories.find((c: { id: string }) => c.id === 'woonoverlast')).toMatchObject({
			sensitive: true,
			theme: 'veiligheid'
		});
		expect(body.layers.map((l: { id: string }) => l.id)).toEqual([
			'initiatieven',
			'projecten',
			'meldingen',
			'bijeenkomsten'
		]);
		expect(body.minSensitiveCount).toBe(5);
	});

	it('stores only statuses of the item’s layer and rejections with a reason, whatever the caller sends', async () => {
		const base = { title: 'x', geom: 'SRID=4326;POINT(5.12 52.1)' };
		const insert = (layer: string, status: string, details = '{}') =>
			store.db.query(
				`INSERT INTO item (layer, title, theme, status, geom, details) VALUES ($1, $2, 'verkeer', $3, $4, $5::jsonb)`,
				[layer, base.title, status, base.geom, details]
			);
		await expect(insert('meldingen', 'idee')).rejects.toThrow();
		await expect(insert('projecten', 'afgerond')).rejects.toThrow();
		await expect(insert('initiatieven', 'afgewezen')).rejects.toThrow();
		await expect(insert('wegen', 'gemeld')).rejects.toThrow();
		const rows = await store.db.query<{ layer: string; status: string }>(
			'SELECT layer, status FROM item_status ORDER BY layer, sort'
		);
		for (const [layer, list] of Object.entries(STATUSES)) {
			expect(rows.filter((r) => r.layer === layer).map((r) => r.status)).toEqual(
				list.map((s) => s.id)
			);
		}
	});
});
