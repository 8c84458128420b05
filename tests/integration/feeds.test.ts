import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { amsterdamTime } from '../../src/lib/domain/local-time.ts';
import { changeStatus } from '../../src/lib/server/items/edit.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { GET as icsGET } from '../../src/routes/api/bijeenkomsten.ics/+server.ts';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { GET as areaFeedGET } from '../../src/routes/feeds/[kind]/[file]/+server.ts';
import { GET as pointFeedGET } from '../../src/routes/feeds/[file]/+server.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { readCalendars, readFeeds } from '../helpers/py-clients.ts';
import { insertUtrechtAreas } from './items-setup.ts';

const ORIGIN = 'http://127.0.0.1:41234';

describe(`calendars and Atom feeds on ${storeName}, read by python icalendar and feedparser`, () => {
	let store: TestStore;
	let wijk: string;
	let buurt: string;
	let emptyBuurt: string;
	let here: [number, number];
	let cancelled: number;
	let meetingIds: number[];
	const savedTz = process.env.TZ;

	async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
		const url = new URL(path, ORIGIN);
		const ev = {
			url,
			locals: { db: store.db, user: null },
			request: new Request(url, { headers })
		};
		if (url.pathname === '/api/bijeenkomsten.ics') return icsGET({ ...ev, params: {} } as never);
		if (url.pathname === '/api/items') return listGET({ ...ev, params: {} } as never);
		const parts = url.pathname.split('/').filter(Boolean);
		if (parts.length === 2) return pointFeedGET({ ...ev, params: { file: parts[1] } } as never);
		return areaFeedGET({ ...ev, params: { kind: parts[1], file: parts[2] } } as never);
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const [w] = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT a.code, ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y FROM area a, ST_PointOnSurface(a.geom) p WHERE level = 'wijk' ORDER BY code LIMIT 1`
		);
		wijk = w.code;
		here = [w.x, w.y];
		// A calendar-level injection attempt and a character XML 1.0 forbids, in the area's own name.
		await store.db.query(`UPDATE area SET name = $2 WHERE level = 'wijk' AND code = $1`, [
			wijk,
			'West\r\nX-EVIL:1\u000b; nu, echt'
		]);
		const [b] = await store.db.query<{ code: string }>(
			`SELECT code FROM area WHERE level = 'buurt' AND ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
			here
		);
		buurt = b.code;
		const [e] = await store.db.query<{ code: string }>(
			`SELECT code FROM area WHERE level = 'buurt' AND parent <> $1 ORDER BY code LIMIT 1`,
			[wijk]
		);
		emptyBuurt = e.code;
		const at = (dx: number, dy: number) => ({
			type: 'Point' as const,
			coordinates: [here[0] + dx, here[1] + dy]
		});
		const day = 86_400_000;
		const starts = [
			new Date(Math.floor((Date.now() - 10 * day) / 60_000) * 60_000), // last week: still in the calendar
			amsterdamTime(2027, 3, 28, 1, 30), // the night clocks go forward
			amsterdamTime(2027, 10, 31, 2, 30), // the night they go back (first 02:30)
			amsterdamTime(2027, 1, 15, 19, 30),
			amsterdamTime(2027, 7, 1, 19, 30),
			amsterdamTime(2027, 9, 9, 9, 0)
		];
		await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			// More meldingen than any old list had room for, newer than the meetings.
			const meldingen = Array.from({ length: 230 }, (_, i) => ({
				layer: 'meldingen' as const,
				title: `Melding ${i}`,
				description: 'Lamp',
				theme: 'openbare-ruimte',
				status: 'gemeld',
				category: 'straatverlichting',
				geometry: at((i % 10) * 0.0001, Math.floor(i / 10) * 0.0001)
			}));
			const meetings = starts.map((s, i) => ({
				layer: 'bijeenkomsten' as const,
				title: i === 4 ? 'Zomeravond\u000b in het park' : `Bijeenkomst ${i}`,
				description: 'Praat mee\u0001 over de buurt',
				theme: 'groen-water',
				status: 'gepland',
				startsAt: s,
				endsAt: new Date(s.getTime() + 5_400_000),
				geometry: at(0.0003 * i, -0.0002),
				details: { venue: `Buurthuis ${i}`, address: 'Hoofdstraat 1' }
			}));
			const res = await insertItems(tx, [...meetings, ...meldingen]);
			meetingIds = (res.ids as number[]).slice(0, meetings.length);
		});
		await store.db.query(
			`UPDATE item SET created_at = created_at - interval '1 day' WHERE id = ANY($1)`,
			[meetingIds]
		);
		const [u] = await store.db.query<{ id: number }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('anna@gemeente.invalid', 'Anna', 'beheerder') RETURNING id::int`
		);
		const anna: StaffUser = {
			id: u.id,
			email: 'anna@gemeente.invalid',
			name: 'Anna',
			role: 'beheerder',
			department: null,
			wijken: []
		};
		cancelled = meetingIds[3];
		const r = await changeStatus(
			store.db,
			cancelled,
			1,
			'geannuleerd',
			'Gaat niet door: de zaal is niet beschikbaar.',
			{ actor: anna, client: '127.0.0.1' }
		);
		expect(r.kind).toBe('ok');
	});

	afterAll(async () => {
		process.env.TZ = savedTz;
		await store?.dispose();
	});

	for (const tz of ['UTC', 'Europe/Amsterdam']) {
		it(`gives every calendar the API's instants, one UID per meeting and CANCELLED, with the server in ${tz}`, async () => {
			// Node rereads TZ when it is set: the handlers run as a server in this zone would.
			process.env.TZ = tz;
			expect(new Date(2027, 6, 1).getTimezoneOffset()).toBe(tz === 'UTC' ? 0 : -120);
			const api = (await (await get('/api/items?layer=bijeenkomsten&limit=1000')).json()) as {
				features: {
					properties: { id: number; startsAt: string; endsAt: string; status: string };
				}[];
			};
			const truth = new Map(api.features.map((f) => [f.properties.id, f.properties]));
			expect(truth.size).toBe(meetingIds.length);
			const paths = [
				'/api/bijeenkomsten.ics',
				`/api/bijeenkomsten.ics?wijk=${wijk}`,
				`/feeds/wijk/${wijk}.ics`,
				`/feeds/buurt/${buurt}.ics`,
				'/feeds/thema/groen-water.ics',
				`/feeds/punt.ics?lat=${here[1]}&lon=${here[0]}&r=250`,
				`/feeds/item/${cancelled}.ics`,
				`/feeds/buurt/${emptyBuurt}.ics`,
				'/feeds/thema/verkeer.ics'
			];
			const files: Record<string, string> = {};
			for (const p of paths) {
				const res = await get(p);
				expect(res.status, p).toBe(200);
				files[p] = await res.text();
			}
			const cals = readCalendars(files);
			const byUid = new Map<string, string>();
			for (const p of paths) {
				const cal = cals[p];
				// RFC 5545 §3.4: at least one component, also without meetings.
				expect(cal.components.length, p).toBeGreaterThan(0);
				expect(cal.props.VERSION).toBe('2.0');
				expect(cal.props.PRODID).toBeTruthy();
				expect(Object.keys(cal.props)).not.toContain('X-EVIL');
				for (const e of cal.events) {
					const id = Number(/^bijeenkomst-(\d+)@127\.0\.0\.1$/.exec(e.uid)?.[1]);
					const t = truth.get(id)!;
					expect(t, e.uid).toBeDefined();
					expect(e.start, `${p} ${e.uid}`).toBe(t.startsAt);
					expect(e.end).toBe(t.endsAt);
					expect(e.startUtc && e.stampUtc).toBe(true);
					expect(e.status).toBe(t.status === 'geannuleerd' ? 'CANCELLED' : 'CONFIRMED');
					expect(e.sequence).toBe(id === cancelled ? 1 : 0);
					expect(e.location).toMatch(/^Buurthuis \d, Hoofdstraat 1$/);
					expect(e.geo).toHaveLength(2);
					expect(byUid.get(e.uid) ?? e.start).toBe(e.start);
					byUid.set(e.uid, e.start);
				}
			}
			const uids = (p: string) => cals[p].events.map((e) => e.uid).sort();
			const all = meetingIds.map((id) => `bijeenkomst-${id}@127.0.0.1`).sort();
			// Every meeting of the wijk, though 230 newer meldingen share it.
			expect(uids(`/feeds/wijk/${wijk}.ics`)).toEqual(all);
			expect(uids(`/api/bijeenkomsten.ics?wijk=${wijk}`)).toEqual(all);
			expect(uids('/feeds/thema/groen-water.ics')).toEqual(all);
			expect(uids(`/feeds/item/${cancelled}.ics`)).toEqual([`bijeenkomst-${cancelled}@127.0.0.1`]);
			expect(cals[`/feeds/buurt/${emptyBuurt}.ics`].events).toEqual([]);
			expect(cals['/feeds/thema/verkeer.ics'].components).toEqual(['VTIMEZONE']);
			expect(cals[`/feeds/wijk/${wijk}.ics`].props['X-WR-CALNAME']).toContain('X-EVIL:1');
		});
	}

	it('builds UIDs and links from the configured ORIGIN, not from the host:port a request came in on', async () => {
		process.env.ORIGIN = 'https://wijkkaart.gemeente.example:8443';
		try {
			const cal = readCalendars({ c: await (await get(`/feeds/item/${cancelled}.ics`)).text() }).c;
			expect(cal.events.map((e) => e.uid)).toEqual([
				`bijeenkomst-${cancelled}@wijkkaart.gemeente.example`
			]);
			const atom = readFeeds({ a: await (await get(`/feeds/item/${cancelled}.atom`)).text() }).a;
			expect(
				atom.entries.every((e) =>
					e.id.startsWith(`https://wijkkaart.gemeente.example:8443/item/${cancelled}#`)
				)
			).toBe(true);
		} finally {
			delete process.env.ORIGIN;
		}
	});

	it('pages the Atom feed (RFC 5005) through every entry, with an author and forbidden characters removed', async () => {
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT (SELECT count(*) FROM item WHERE areas->>'wijk' = $1 AND published AND deleted_at IS NULL AND NOT sensitive)
			      + (SELECT count(*) FROM item_update u JOIN item i ON i.id = u.item_id WHERE i.areas->>'wijk' = $1) AS n`,
			[wijk]
		);
		expect(Number(n)).toBeGreaterThan(200);
		const pages: Record<string, string> = {};
		let next: string | null = `/feeds/wijk/${wijk}.atom`;
		while (next && Object.keys(pages).length < 20) {
			const res = await get(next);
			expect(res.status).toBe(200);
			pages[next] = await res.text();
			const parsed: ReturnType<typeof readFeeds>[string] = readFeeds({ p: pages[next] }).p;
			const href = parsed.links.find((l) => l.rel === 'next')?.href;
			next = href ? new URL(href).pathname + new URL(href).search : null;
		}
		const feeds = readFeeds(pages);
		const ids = new Set<string>();
		for (const [p, f] of Object.entries(feeds)) {
			expect(f.bozo, `${p}: ${f.bozoException}`).toBe(0);
			expect(f.author).toBeTruthy();
			expect(f.links.some((l) => l.rel === 'first')).toBe(true);
			for (const e of f.entries) ids.add(e.id);
		}
		expect(ids.size).toBe(Number(n));
		const first = Object.values(feeds)[0];
		expect(first.title).toContain('West');
		expect(first.title).not.toContain('\u000b');
		const theme = readFeeds({ t: await (await get('/feeds/thema/groen-water.atom')).text() }).t;
		expect(theme.bozo).toBe(0);
		expect(theme.entries.map((e) => e.title)).toContain('Bijeenkomst: Zomeravond in het park');
	});

	it('answers 304 to a current ETag or If-Modified-Since, and 200 after a change', async () => {
		const path = `/feeds/buurt/${buurt}.atom`;
		const res = await get(path);
		const etag = res.headers.get('etag')!;
		const lastModified = res.headers.get('last-modified')!;
		expect(etag).toMatch(/^"[^"]+"$/);
		expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
		expect((await get(path, { 'if-modified-since': lastModified })).status).toBe(304);
		expect(
			(
				await get(path, {
					'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString()
				})
			).status
		).toBe(200);
		const ics = await get(`/feeds/buurt/${buurt}.ics`);
		expect(
			(await get(`/feeds/buurt/${buurt}.ics`, { 'if-none-match': ics.headers.get('etag')! })).status
		).toBe(304);
		await new Promise((r) => setTimeout(r, 1100));
		await store.db.query(
			`UPDATE item SET title = title || '!' WHERE id = (SELECT max(id) FROM item WHERE areas->>'buurt' = $1)`,
			[buurt]
		);
		const after = await get(path, { 'if-none-match': etag, 'if-modified-since': lastModified });
		expect(after.status).toBe(200);
		expect((await get(path, { 'if-modified-since': lastModified })).status).toBe(200);
	});
});
