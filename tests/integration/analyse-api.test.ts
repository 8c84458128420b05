import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as choroplethGET } from '../../src/routes/api/analyse/choropleth/+server.ts';
import { GET as clustersGET } from '../../src/routes/api/analyse/clusters/+server.ts';
import { GET as koppelGET } from '../../src/routes/api/analyse/koppelkansen/+server.ts';
import { GET as trendGET } from '../../src/routes/api/analyse/trend/+server.ts';
import { GET as themesGET } from '../../src/routes/api/analyse/themes/+server.ts';
import { GET as overdueGET } from '../../src/routes/api/analyse/overdue/+server.ts';
import { GET as handlingGET } from '../../src/routes/api/analyse/afhandeltijd/+server.ts';
import { GET as budgetGET } from '../../src/routes/api/analyse/budget/+server.ts';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { SITE1, at, caller, seedTown, type Handler } from './analyse-fixtures.ts';
const STAFF: StaffUser = {
	id: 1,
	email: 'planner@gemeente.invalid',
	name: 'Planner',
	role: 'wijkregisseur',
	department: null,
	wijken: []
};

describe(`analysis API on a hand-built town (${storeName})`, () => {
	let store: TestStore;

	const api = caller(() => store.db);
	const call = (handler: Handler, qs: string, user: StaffUser | null = null) =>
		api.call(handler, `/api/analyse/x?${qs}`, user);
	const get = (handler: Handler, qs: string, user: StaffUser | null = null) =>
		api.get(handler, `/api/analyse/x?${qs}`, user);

	beforeAll(async () => {
		store = await freshStore();
		await seedTown(store.db);
	});
	afterAll(() => store?.dispose());

	const FEB = 'layer=meldingen&from=2026-02-01&to=2026-02-28';

	it('counts meldingen per wijk and per 1,000 inhabitants, greying out areas without enough people', async () => {
		const c = await get(choroplethGET, `${FEB}&measure=per1000`);
		const by = Object.fromEntries(c.areas.map((a: { code: string }) => [a.code, a]));
		// A: 5 of cluster X + 10 of cluster Y; B: 5 of X (its lone meldingen are from January); C: 1.
		expect([by.A.count, by.B.count, by.C.count, by.D.count]).toEqual([15, 5, 1, 0]);
		expect(by.A.per1000).toBeCloseTo((15 / 2000) * 1000, 10);
		expect(by.B.per1000).toBeCloseTo((5 / 5000) * 1000, 10);
		expect([by.C.per1000, by.C.noRate, by.C.class]).toEqual([null, 'te-weinig-inwoners', null]);
		expect([by.D.per1000, by.D.noRate, by.D.class]).toEqual([null, 'geen-inwonertal', null]);
		expect(c.total).toBe(21);
		// Two rated areas: A in the top class, B in the bottom one.
		expect(by.A.class).toBe(c.legend.length - 1);
		expect(by.B.class).toBe(0);
		expect(c.legend.reduce((n: number, l: { count: number }) => n + l.count, 0)).toBe(2);
	});

	it('compares with the previous period of equal length', async () => {
		const c = await get(choroplethGET, `${FEB}&measure=change`);
		// 1 Feb – 1 Mar is 28 days, so the previous period is 4 Jan – 1 Feb: B's three lone meldingen.
		expect(c.previousPeriod).toEqual({
			from: '2026-01-04T00:00:00.000Z',
			to: '2026-02-01T00:00:00.000Z'
		});
		const by = Object.fromEntries(c.areas.map((a: { code: string }) => [a.code, a]));
		expect([by.B.previous, by.B.change, by.B.changePct]).toEqual([3, 2, (2 / 3) * 100]);
		expect([by.A.previous, by.A.change, by.A.changePct]).toEqual([0, 15, null]);
		const bad = await call(choroplethGET, 'measure=change');
		expect(bad.res.status).toBe(400);
		expect(JSON.parse(bad.text).error).toMatch(/from én to/);
	});

	it('shows sensitive meldingen only to signed-in staff', async () => {
		const pub = await get(choroplethGET, FEB);
		const staff = await get(choroplethGET, FEB, STAFF);
		const a = (c: { areas: { code: string; count: number }[] }) =>
			c.areas.find((x) => x.code === 'A')!.count;
		expect([a(pub), a(staff)]).toEqual([15, 17]);
		expect([pub.audience, staff.audience]).toEqual(['public', 'staff']);
	});

	it('gives the choropleth as GeoJSON and CSV with the same numbers', async () => {
		const geo = await get(choroplethGET, `${FEB}&measure=per1000&format=geojson&level=buurt`);
		expect(geo.type).toBe('FeatureCollection');
		expect(geo.features.map((f: { id: string }) => f.id)).toEqual(['A1', 'B1', 'C1', 'D1']);
		expect(geo.features[0].geometry.type).toBe('MultiPolygon');
		expect(geo.features[2].properties.color).toBeNull();
		const { res, text } = await call(choroplethGET, `${FEB}&measure=change&format=csv`);
		expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
		const lines = text
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe(
			'"wijk","naam","inwoners","aantal","per_1000","zonder_rate","vorige_periode","verandering","verandering_pct","klasse"'
		);
		// A negative or positive change stays a number, not a '-prefixed text.
		expect(lines[2].split(',').slice(0, 9)).toEqual([
			'"B"',
			'"Wijk B"',
			'5000',
			'5',
			'1',
			'""',
			'3',
			'2',
			'66.7'
		]);
	});

	it('flags a cluster that straddles two wijken and not one inside a single wijk', async () => {
		const c = await get(clustersGET, 'layer=meldingen');
		expect(c.clusters).toHaveLength(2);
		const cross = c.clusters.filter((x: { crossBoundary: boolean }) => x.crossBoundary);
		expect(cross).toHaveLength(1);
		expect(cross[0].count).toBe(10);
		expect(cross[0].wards).toEqual([
			{ code: 'A', name: 'Wijk A', count: 5 },
			{ code: 'B', name: 'Wijk B', count: 5 }
		]);
		expect(cross[0].themes).toEqual([{ theme: 'openbare-ruimte', count: 10 }]);
		const inside = c.clusters.find((x: { crossBoundary: boolean }) => !x.crossBoundary);
		expect(inside.wards).toEqual([{ code: 'A', name: 'Wijk A', count: 10 }]);
		expect(inside.themes).toEqual([{ theme: 'groen-water', count: 10 }]);
		// Both clusters have ten members: asking for eleven leaves none.
		expect((await get(clustersGET, 'layer=meldingen&minPoints=11')).clusters).toHaveLength(0);
		const geo = await get(clustersGET, 'layer=meldingen&format=geojson');
		expect(geo.features.map((f: { geometry: { type: string } }) => f.geometry.type)).toEqual([
			'Polygon',
			'Polygon'
		]);
		const bad = await call(clustersGET, 'eps=abc');
		expect(bad.res.status).toBe(400);
		expect(JSON.parse(bad.text).error).toMatch(/eps/);
	});

	it('finds koppelkansen between owners that overlap in space and time, and none for one owner or separate periods', async () => {
		const k = await get(koppelGET, '');
		const named = k.pairs.map((p: { a: string; b: string }) =>
			[k.items[p.a].title.slice(0, 2), k.items[p.b].title.slice(0, 2)].sort().join('-')
		);
		// P3/P4 share a department (whatever its spelling); P5 ends before P6 starts; P7 is 300 m away.
		expect(named.sort()).toEqual(['I1-P2', 'P1-P2']);
		const p12 = k.pairs.find((p: { a: string; b: string }) =>
			[p.a, p.b].every((x) => /^P[12]/.test(k.items[x].title))
		);
		expect(p12.distance).toBeGreaterThanOrEqual(49);
		expect(p12.distance).toBeLessThanOrEqual(51);
		expect(p12.overlap).toEqual({ from: '2026-03-01', to: '2026-06-30' });
		expect(k.groups).toHaveLength(1);
		expect(k.groups[0].owners).toEqual(['Buurtvereniging Oost', 'Mobiliteit', 'Stadsbeheer']);
		for (const key of k.groups[0].keys) expect(k.items[key].href).toBe(`/item/${key.slice(5)}`);
		// Each piece of work names its wijk: the square its point lies in (A is 5.10–5.11 east).
		for (const key of k.groups[0].keys) {
			const [{ lon }] = await store.db.query<{ lon: number }>(
				`SELECT ST_X(ST_PointOnSurface(geom))::float8 AS lon FROM item WHERE id = $1`,
				[Number(key.slice(5))]
			);
			expect(k.items[key].area, key).toBe(`Wijk ${'ABCD'[Math.floor((lon - 5.1) / 0.01)]}`);
		}
		expect((await get(koppelGET, 'buffer=40')).pairs).toHaveLength(0);
		// At 400 m: I1 is 110 m from P1, P7 300 m from P1 and 350 m from P2, but 410 m from I1.
		const wide = await get(koppelGET, 'buffer=400');
		expect(
			wide.pairs
				.map((p: { a: string; b: string }) =>
					[wide.items[p.a].title.slice(0, 2), wide.items[p.b].title.slice(0, 2)].sort().join('-')
				)
				.sort()
		).toEqual(['I1-P1', 'I1-P2', 'P1-P2', 'P1-P7', 'P2-P7']);
		// Only P5 and P6 were at work in 2025, and never at the same time.
		expect((await get(koppelGET, 'from=2025-01-01&to=2025-12-31')).pairs).toHaveLength(0);
		const csv = (await call(koppelGET, 'format=csv')).text;
		expect(csv.trim().split('\r\n')).toHaveLength(3);
		expect(csv.split('\r\n')[0]).toContain('a_wijk');
		expect(csv).toContain('"Wijk A"');
		// Where it is GeoJSON, it says so: the JSON links its GeoJSON form, served as application/geo+json.
		const plain = await call(koppelGET, '');
		expect(plain.res.headers.get('link')).toBe(
			'</api/analyse/x?format=geojson>; rel="alternate"; type="application/geo+json"'
		);
		const geo = await call(koppelGET, 'format=geojson');
		expect(geo.res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
		const fc = JSON.parse(geo.text);
		expect(fc.type).toBe('FeatureCollection');
		expect(fc.features.map((f: { id: string }) => f.id).sort()).toEqual(
			Object.keys(k.items).sort()
		);
		const p1 = fc.features.find((f: { properties: { title: string } }) =>
			f.properties.title.startsWith('P1')
		);
		expect(p1.geometry).toEqual(k.items[p1.id].geometry);
		expect(p1.properties.group).toBe(0);
		expect(p1.properties.partners.map((x: string) => k.items[x].title.slice(0, 2))).toEqual(['P2']);
	});

	it('pairs wijkagenda actions with items of other owners, through the same filters', async () => {
		// An action of Stadsbeheer 45 m east of P2 (Mobiliteit), in April and May 2026: it meets P2
		// and I1 (75 m away, still running), not P1 (its own department).
		const [p2x, p2y] = at(SITE1[0], SITE1[1], 0, 50);
		const [{ id }] = await store.db.query<{ id: number }>(
			`WITH ag AS (INSERT INTO agenda (wijk, period_start, period_end, title) VALUES ('A', 2026, 2029, 'Wijkagenda A') RETURNING id),
			 am AS (INSERT INTO ambition (agenda_id, theme, title) SELECT id, 'verkeer', 'Veilig fietsen' FROM ag RETURNING id)
			 INSERT INTO action (ambition_id, title, owner, planned_start, planned_end, status, geom)
			 SELECT id, 'A1 Fietsenstalling', 'Stadsbeheer', '2026-04-01', '2026-05-31', 'loopt', ST_SetSRID(ST_MakePoint($1, $2), 4326) FROM am
			 RETURNING id::int`,
			at(p2x, p2y, 45, 0)
		);
		const names = (k: {
			pairs: { a: string; b: string }[];
			items: Record<string, { title: string }>;
		}) =>
			k.pairs
				.map((p) =>
					[k.items[p.a].title.slice(0, 2), k.items[p.b].title.slice(0, 2)].sort().join('-')
				)
				.sort();
		const all = await get(koppelGET, '');
		expect(names(all)).toEqual(['A1-I1', 'A1-P2', 'I1-P2', 'P1-P2']);
		expect(all.items[`action:${id}`]).toMatchObject({
			source: 'action',
			owner: 'Stadsbeheer',
			starts: '2026-04-01',
			ends: '2026-05-31',
			href: `/wijk/A#actie-${id}`
		});
		const a1p2 = all.pairs.find(
			(p: { a: string; b: string }) =>
				[p.a, p.b].includes(`action:${id}`) &&
				/^P2/.test(all.items[p.a === `action:${id}` ? p.b : p.a].title)
		);
		expect(a1p2.overlap).toEqual({ from: '2026-04-01', to: '2026-05-31' });
		// Theme verkeer: the action's ambition and P2; a layer filter names item layers only.
		expect(names(await get(koppelGET, 'theme=verkeer'))).toEqual(['A1-P2']);
		expect(names(await get(koppelGET, 'layer=projecten,initiatieven'))).toEqual(['I1-P2', 'P1-P2']);
		expect(names(await get(koppelGET, 'q=fietsenstalling'))).toEqual([]);
		await store.db.query(`UPDATE action SET status = 'geschrapt'`);
		expect(names(await get(koppelGET, ''))).toEqual(['I1-P2', 'P1-P2']);
	});

	it('follows through: overdue per wijk, median days to afhandeling, budget asked and granted', async () => {
		const o = await get(overdueGET, 'layer=meldingen');
		// Every open melding dates from early 2026: long past its term.
		expect(
			o.rows.map((r: { code: string; open: number; overdue: number }) => [
				r.code,
				r.open,
				r.overdue
			])
		).toEqual([
			['A', 11, 11],
			['B', 3, 3],
			['C', 1, 1]
		]);
		const h = await get(handlingGET, '');
		expect(
			h.rows.map((r: { code: string; theme: string; handled: number; medianDays: number }) => [
				r.code,
				r.theme,
				r.handled,
				r.medianDays
			])
		).toEqual([
			['A', 'groen-water', 4, 5],
			['B', 'openbare-ruimte', 5, 2]
		]);
		const b = await get(budgetGET, '');
		expect(b.rows).toEqual([
			{ code: 'A', name: 'Wijk A', initiatives: 1, requested: 1000, granted: 800, share: 0.8 }
		]);
	});

	it('ranks themes above the city median per 1,000 by the number of wijken', async () => {
		const t = await get(themesGET, 'layer=meldingen&minWards=1');
		// Rated: A (2000) and B (5000). Public meldingen have two themes: openbare-ruimte A 5 → 2.5,
		// B 5 → 1; groen-water A 10 → 5, B 3 → 0.6. Median of 5, 2.5, 1, 0.6 is 1.75: A is above in both.
		expect(t.median).toBeCloseTo(1.75, 10);
		expect(t.unrated.map((u: { code: string }) => u.code)).toEqual(['C', 'D']);
		expect(t.themes.map((x: { theme: string; wards: string[] }) => [x.theme, x.wards])).toEqual([
			['groen-water', ['A']],
			['openbare-ruimte', ['A']]
		]);
		const groen = t.themes[0].rates.find((r: { code: string }) => r.code === 'B');
		expect(groen.per1000).toBeCloseTo((3 / 5000) * 1000, 10);
		expect((await get(themesGET, 'layer=meldingen&minWards=2')).themes).toEqual([]);
	});

	it('counts per month per theme', async () => {
		const t = await get(trendGET, 'layer=meldingen');
		expect(t.months).toEqual(['2026-01', '2026-02']);
		expect(t.rows).toEqual([
			{ month: '2026-01', theme: 'groen-water', count: 3 },
			{ month: '2026-02', theme: 'groen-water', count: 10 },
			{ month: '2026-02', theme: 'openbare-ruimte', count: 11 }
		]);
	});
});
