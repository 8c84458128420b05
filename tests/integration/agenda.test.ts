import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import {
	getAgenda,
	replaceAgenda,
	updateAction,
	VersionConflict
} from '../../src/lib/server/agenda/store.ts';
import { agendaForExport, readAgendaFile } from '../../src/lib/server/agenda/transfer.ts';
import { GET as exportGET } from '../../src/routes/api/wijken/[code]/[file]/+server.ts';
import { GET as icsGET } from '../../src/routes/api/bijeenkomsten.ics/+server.ts';
import { GET as itemsGET } from '../../src/routes/api/items/+server.ts';
import * as analyses from './analyse-routes.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { freshStore, onPostgres, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { runScript } from '../helpers/server.ts';
import { actions as beheer } from '../../src/routes/beheer/agenda/[wijk]/+page.server.ts';
import { agendaView } from '../../src/lib/server/agenda/view.ts';
import { buildSlides, SINCE_PER_SLIDE } from '../../src/lib/server/agenda/slides.ts';
import { changeStatus, createItem } from '../../src/lib/server/items/edit.ts';
import type { StaffUser } from '../../src/lib/domain/staff.ts';

const call = async (
	handler: typeof exportGET | typeof icsGET,
	url: string,
	params: Record<string, string>,
	db: TestStore['db']
) => {
	const u = new URL(url, 'http://wijkkaart.test');
	return handler({ url: u, params, locals: { db }, request: new Request(u) } as never);
};

describe(`wijkagenda on ${storeName}`, () => {
	let store: TestStore;
	let wijken: string[];

	beforeAll(async () => {
		store = await freshStore();
		await seedDemoIfEmpty(store.db);
		wijken = (
			await store.db.query<{ code: string }>(
				`SELECT code FROM area WHERE level = 'wijk' ORDER BY code`
			)
		).map((r) => r.code);
	});
	afterAll(() => store?.dispose());

	it('gives every demo wijk 3–4 ambitions of 2–4 actions, each placed inside the wijk', async () => {
		for (const w of wijken) {
			const a = await getAgenda(store.db, w);
			expect(a, w).not.toBeNull();
			expect(a!.ambitions.length).toBeGreaterThanOrEqual(3);
			expect(a!.ambitions.length).toBeLessThanOrEqual(4);
			for (const m of a!.ambitions) {
				expect(m.actions.length).toBeGreaterThanOrEqual(2);
				expect(m.actions.length).toBeLessThanOrEqual(4);
				expect(m.goals.length).toBeGreaterThan(0);
			}
		}
		const [{ outside, unplaced, linked }] = await store.db.query<{
			outside: number;
			unplaced: number;
			linked: number;
		}>(
			`SELECT count(*) FILTER (WHERE a.geom IS NOT NULL AND NOT ST_Intersects(a.geom, w.geom))::int AS outside,
			        count(*) FILTER (WHERE a.geom IS NULL AND cardinality(a.buurten) = 0)::int AS unplaced,
			        (SELECT count(*)::int FROM action_item) AS linked
			 FROM action a JOIN ambition m ON m.id = a.ambition_id JOIN agenda g ON g.id = m.agenda_id
			 JOIN area w ON w.level = 'wijk' AND w.code = g.wijk`
		);
		expect({ outside, unplaced }).toEqual({ outside: 0, unplaced: 0 });
		expect(linked).toBeGreaterThan(wijken.length);
	});

	it('exports JSON and CSV that import back to the same agenda', async () => {
		const w = wijken[0];
		const jsonRes = await call(
			exportGET,
			`/api/wijken/${w}/agenda.json`,
			{ code: w, file: 'agenda.json' },
			store.db
		);
		expect(jsonRes.status).toBe(200);
		const exported = await jsonRes.json();
		const csvRes = await call(
			exportGET,
			`/api/wijken/${w}/agenda.csv`,
			{ code: w, file: 'agenda.csv' },
			store.db
		);
		expect(csvRes.headers.get('content-type')).toMatch(/text\/csv/);
		const csv = await csvRes.text();
		expect(readAgendaFile('a.csv', csv)).toEqual(
			readAgendaFile('a.json', JSON.stringify(exported))
		);

		await store.db.transaction((tx) =>
			replaceAgenda(tx, readAgendaFile('a.csv', csv), { kind: 'import', command: 'agenda' })
		);
		const again = agendaForExport((await getAgenda(store.db, w))!);
		expect(JSON.parse(JSON.stringify(again))).toEqual(exported);
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM agenda WHERE wijk = $1`,
			[w]
		);
		expect(n).toBe(1);
	});

	it('writes the same CSV everywhere: BOM, Dutch headers, ja/nee, and ; with decimal commas for Excel', async () => {
		const w = wijken[0];
		const sources: [string, (u: string) => Promise<Response>][] = [
			['items', (q) => call(itemsGET as never, `/api/items?format=csv${q}`, {}, store.db)],
			[
				`wijkagenda ${w}`,
				(q) =>
					call(
						exportGET,
						`/api/wijken/${w}/agenda.csv?x=1${q}`,
						{ code: w, file: 'agenda.csv' },
						store.db
					)
			],
			...Object.entries(analyses.ROUTES).map(
				([name, get]): [string, (u: string) => Promise<Response>] => [
					name,
					(q) =>
						call(get as never, `/api/analyse/${name}?layer=meldingen&format=csv${q}`, {}, store.db)
				]
			)
		];
		// Python's csv module reads each file with the separator the download says; every header
		// must be a Dutch column name (no English word of the API's JSON), every boolean ja/nee.
		const english = new Set([
			'true',
			'false',
			'yes',
			'no',
			'name',
			'title',
			'description',
			'theme',
			'count',
			'created',
			'updated',
			'owner',
			'progress',
			'population',
			'area',
			'date',
			'due',
			'overdue',
			'status_from',
			'planned_start',
			'actual_end',
			'category',
			'layer',
			'distance',
			'change',
			'group'
		]);
		const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-csv-'));
		const read = (text: string, sep: string) => {
			const file = path.join(dir, 'x.csv');
			writeFileSync(file, text);
			const py = spawnSync(
				'/usr/bin/python3',
				[
					'-c',
					'import csv,json,sys\nwith open(sys.argv[1], encoding="utf-8-sig", newline="") as f: print(json.dumps(list(csv.reader(f, delimiter=sys.argv[2]))))',
					file,
					sep
				],
				{ encoding: 'utf8', maxBuffer: 1 << 26 }
			);
			if (py.status !== 0) throw new Error(py.stderr);
			return JSON.parse(py.stdout) as string[][];
		};
		const problems: string[] = [];
		for (const [name, get] of sources) {
			const plain = await get('');
			const excel = await get('&sep=%3B');
			expect(plain.status, name).toBe(200);
			expect(excel.status, name).toBe(200);
			expect(excel.headers.get('content-disposition'), name).toMatch(/-excel\.csv"$/);
			// Bytes, not text(): a TextDecoder drops the BOM this test looks for.
			const [a, b] = [
				Buffer.from(await plain.arrayBuffer()).toString('utf8'),
				Buffer.from(await excel.arrayBuffer()).toString('utf8')
			];
			for (const [dialect, text, sep] of [
				['comma', a, ','],
				['excel', b, ';']
			] as const) {
				if (!text.startsWith('\uFEFF')) problems.push(`${name} (${dialect}): geen BOM`);
				const rows = read(text, sep);
				for (const h of rows[0])
					if (!/^[a-z0-9_]+$/.test(h) || english.has(h))
						problems.push(`${name} (${dialect}): kop "${h}"`);
				for (const r of rows.slice(1)) {
					if (r.length !== rows[0].length)
						problems.push(
							`${name} (${dialect}): ${r.length} cellen in plaats van ${rows[0].length}`
						);
					for (const c of r)
						if (['true', 'false', 'TRUE', 'FALSE', 'True', 'False'].includes(c))
							problems.push(`${name} (${dialect}): boolean "${c}"`);
				}
			}
			// Same table in both dialects: the same cells, numbers with a comma where the default has a point.
			const [ra, rb] = [read(a, ','), read(b, ';')];
			expect(rb.length, name).toBe(ra.length);
			ra.forEach((row, i) =>
				row.forEach((c, j) => {
					const expected =
						/^-?\d+\.\d+$/.test(c) && !a.includes(`"${c}"`) ? c.replace('.', ',') : c;
					if (rb[i][j] !== expected)
						problems.push(`${name}: rij ${i} kolom ${ra[0][j]}: "${rb[i][j]}" ≠ "${expected}"`);
				})
			);
		}
		expect(problems.slice(0, 20)).toEqual([]);
		expect(sources.length).toBeGreaterThanOrEqual(10);
	});

	it('refuses a bad file whole, with a Dutch message, and changes nothing', async () => {
		const w = wijken[1];
		const good = readAgendaFile(
			'a.json',
			JSON.stringify(agendaForExport((await getAgenda(store.db, w))!))
		);
		const before = await storeHash(store.db);
		const bad = structuredClone(good);
		bad.ambitions[bad.ambitions.length - 1].actions[0].items = [99_999_999];
		await expect(
			store.db.transaction((tx) => replaceAgenda(tx, bad, { kind: 'import', command: 'agenda' }))
		).rejects.toThrow(/actie 1: item 99999999 bestaat niet/);
		expect(await storeHash(store.db)).toBe(before);

		const dir = mkdtempSync(path.join(os.tmpdir(), 'agenda-'));
		const file = path.join(dir, 'agenda.json');
		writeFileSync(
			file,
			JSON.stringify({
				...good,
				ambitions: [
					{
						...good.ambitions[0],
						actions: [{ ...good.ambitions[0].actions[0], status: 'bijna klaar' }]
					}
				]
			})
		);
		// The CLI is its own process: on PGlite it may only open a store no one else holds (the store lock).
		if (!onPostgres) await store.db.close();
		const cli = await runScript('scripts/import.ts', ['agenda', file], store.env);
		if (!onPostgres) store.db = await openPglite(store.env.WIJKKAART_DATA_DIR);
		expect(cli.code).toBe(1);
		expect(cli.stderr).toMatch(
			/^Fout: ambitie 1, actie 1, status: status moet een van gepland, loopt/
		);
	});

	it('lists every change of the wijk since the previous meeting: agenda and items, new, status and answers, none cut off', async () => {
		const w = wijken[2];
		const [u] = await store.db.query<{ id: number | string; email: string; name: string }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('sinds@gemeente.invalid', 'Sanne Sinds', 'beheerder') RETURNING id, email, name`
		);
		const staff: StaffUser = {
			id: Number(u.id),
			email: u.email,
			name: u.name,
			role: 'beheerder',
			department: null,
			wijken: []
		};
		const ctx = { actor: staff, client: '127.0.0.1' };
		const since = new Date(Date.now() - 30 * 86_400_000);
		const sinds = since.toISOString().slice(0, 10);
		const midnight = new Date(`${sinds}T00:00:00Z`);
		// Changes made now, through the staff write path (audited): a new project, a status change and an answer.
		const [inside] = await store.db.query<{ x: number; y: number }>(
			`SELECT ST_X(ST_PointOnSurface(geom))::float8 x, ST_Y(ST_PointOnSurface(geom))::float8 y FROM area WHERE level = 'wijk' AND code = $1`,
			[w]
		);
		const made = await createItem(
			store.db,
			{
				layer: 'projecten',
				title: 'Nieuwe speelplek sinds overleg',
				description: 'x',
				theme: 'openbare-ruimte',
				status: 'verkenning',
				geometry: { type: 'Point', coordinates: [inside.x, inside.y] }
			},
			ctx
		);
		const [m] = await store.db.query<{ id: number; version: number; status: string }>(
			`SELECT id::int, version, status FROM item WHERE layer = 'meldingen' AND areas->>'wijk' = $1 AND status = 'gemeld' AND NOT sensitive AND published AND deleted_at IS NULL ORDER BY id LIMIT 1`,
			[w]
		);
		const moved = await changeStatus(
			store.db,
			m.id,
			m.version,
			'in_behandeling',
			'We gaan ermee aan de slag.',
			ctx
		);
		expect(moved.kind).toBe('ok');
		const answered = await changeStatus(
			store.db,
			m.id,
			m.version + 1,
			'in_behandeling',
			'De aannemer komt volgende week.',
			ctx
		);
		expect(answered.kind).toBe('ok');

		const view = (await agendaView(store.db, w, sinds))!;
		// Independently: items whose point lies in the wijk's shape (not the stored areas), public,
		// and their timeline entries after the date; the creation entry counts as the item appearing.
		const inWijk = `i.deleted_at IS NULL AND i.published AND NOT i.sensitive
			AND ST_Intersects((SELECT geom FROM area WHERE level = 'wijk' AND code = $1), ST_PointOnSurface(i.geom))`;
		const added = await store.db.query<{ id: number }>(
			`SELECT i.id::int FROM item i WHERE ${inWijk} AND i.created_at >= $2 AND i.created_at <= now() ORDER BY i.created_at, i.id`,
			[w, midnight]
		);
		const updates = await store.db.query<{
			id: number;
			from: string | null;
			to: string | null;
			text: string;
		}>(
			`SELECT i.id::int, u.status_from AS from, u.status_to AS to, u.public_text AS text FROM item_update u JOIN item i ON i.id = u.item_id
			 WHERE ${inWijk} AND u.at >= $2 AND u.at <= now() ORDER BY u.at, u.id`,
			[w, midnight]
		);
		const creation = (x: { from: string | null; to: string | null }) =>
			x.from === null && x.to !== null;
		const isStatus = (x: { from: string | null; to: string | null }) =>
			x.to !== null && x.from !== x.to && !creation(x);
		expect(view.itemChanges.added.map((c) => c.id)).toEqual(added.map((r) => r.id));
		expect(view.itemChanges.statusChanged.map((c) => [c.id, c.from, c.to, c.text])).toEqual(
			updates.filter(isStatus).map((x) => [x.id, x.from, x.to, x.text])
		);
		expect(view.itemChanges.answered.map((c) => [c.id, c.text])).toEqual(
			updates.filter((x) => !isStatus(x) && !creation(x)).map((x) => [x.id, x.text])
		);
		// Every audited item write since the date in this wijk is among them.
		const audited = await store.db.query<{ action: string; id: number }>(
			`SELECT a.action, a.entity_id::int AS id FROM audit_log a JOIN item i ON i.id::text = a.entity_id
			 WHERE a.entity = 'item' AND a.at >= $2 AND a.action IN ('item.create', 'item.status') AND ${inWijk}`,
			[w, midnight]
		);
		expect(audited.length).toBeGreaterThanOrEqual(3);
		const listed = new Set(
			[
				...view.itemChanges.added,
				...view.itemChanges.statusChanged,
				...view.itemChanges.answered
			].map((c) => c.id)
		);
		for (const a of audited) expect(listed.has(a.id), `${a.action} ${a.id}`).toBe(true);
		expect(made.kind === 'ok' && view.itemChanges.added.some((c) => c.id === made.item.id)).toBe(
			true
		);
		expect(
			view.itemChanges.answered.some(
				(c) => c.id === m.id && c.text === 'De aannemer komt volgende week.'
			)
		).toBe(true);
		// Far more than two per group, and the meeting mode has slides for all of them.
		expect(view.itemChanges.statusChanged.length).toBeGreaterThan(2);
		const total =
			view.changes.added.length +
			view.changes.statusChanged.length +
			view.changes.progressed.length +
			view.changes.slipped.length +
			view.itemChanges.added.length +
			view.itemChanges.statusChanged.length +
			view.itemChanges.answered.length;
		const since_ = (await buildSlides(view, 'http://wijkkaart.test')).filter(
			(s) => s.kind === 'since'
		);
		expect(since_).toHaveLength(Math.ceil(total / SINCE_PER_SLIDE));
		expect(since_.map((s) => [s.part!.from, s.part!.to])).toEqual(
			since_.map((_, n) => [n * SINCE_PER_SLIDE, Math.min(total, (n + 1) * SINCE_PER_SLIDE)])
		);
	});

	it('records a status change with its public text and refuses a stale version', async () => {
		const a = (await getAgenda(store.db, wijken[2]))!;
		const act = a.ambitions[0].actions[0];
		const change = {
			title: act.title,
			owner: act.owner,
			status: 'vertraagd' as const,
			progress: act.progress,
			plannedStart: act.plannedStart,
			plannedEnd: act.plannedEnd,
			actualStart: act.actualStart,
			actualEnd: act.actualEnd,
			budget: act.budget,
			text: ''
		};
		const user = { kind: 'user' as const, user: { id: 1, email: 'regisseur@gemeente.example' } };
		await expect(
			store.db.transaction((tx) => updateAction(tx, act.id!, act.version!, change, user))
		).rejects.toThrow(/openbare toelichting/);
		await store.db.transaction((tx) =>
			updateAction(
				tx,
				act.id!,
				act.version!,
				{ ...change, text: 'Vergunning laat op zich wachten.' },
				user
			)
		);
		await expect(
			store.db.transaction((tx) =>
				updateAction(tx, act.id!, act.version!, { ...change, text: 'x' }, user)
			)
		).rejects.toBeInstanceOf(VersionConflict);
		const after = (await getAgenda(store.db, wijken[2]))!.ambitions[0].actions[0];
		expect(after.updates!.at(-1)).toMatchObject({
			statusFrom: act.status,
			statusTo: 'vertraagd',
			text: 'Vergunning laat op zich wachten.'
		});
		const [audit] = await store.db.query<{ actor: string }>(
			`SELECT actor FROM audit_log WHERE entity = 'action' AND entity_id = $1`,
			[String(act.id)]
		);
		expect(audit.actor).toBe('user:1');
	});

	it('serves the meetings of the last 30 days and later as iCalendar that node-ical reads back, with participation and say', async () => {
		const [{ wijk }] = await store.db.query<{ wijk: string }>(
			`SELECT areas->>'wijk' AS wijk FROM item WHERE layer = 'bijeenkomsten' AND starts_at > now() AND published AND NOT sensitive
			 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`
		);
		const truth = await store.db.query<{
			id: number;
			title: string;
			participation: string | null;
			influence: string | null;
			theme: string;
		}>(
			`SELECT id::int, title, details->>'participation' AS participation, details->>'influence' AS influence, theme FROM item
			 WHERE layer = 'bijeenkomsten' AND starts_at >= now() - interval '30 days' AND areas->>'wijk' = $1 AND published AND NOT sensitive AND deleted_at IS NULL`,
			[wijk]
		);
		const res = await call(icsGET, `/api/bijeenkomsten.ics?wijk=${wijk}`, {}, store.db);
		expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
		const parsed = ical.sync.parseICS(await res.text());
		const events = Object.values(parsed).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
		expect(events.length).toBe(truth.length);
		for (const t of truth) {
			const e = events.find((ev) => ev.uid === `bijeenkomst-${t.id}@wijkkaart.test`)!;
			expect(e.summary).toBe(t.title);
			const desc = String(e.description);
			expect(desc).toContain(`Participatieniveau: ${t.participation ?? 'niet opgegeven'}`);
			expect(desc).toContain(`Beïnvloedingsruimte: ${t.influence ?? 'niet opgegeven'}`);
		}
		const theme = truth[0].theme;
		const themed = ical.sync.parseICS(
			await (
				await call(icsGET, `/api/bijeenkomsten.ics?wijk=${wijk}&theme=${theme}`, {}, store.db)
			).text()
		);
		const n = Object.values(themed).filter((e) => e?.type === 'VEVENT').length;
		expect(n).toBeGreaterThan(0);
		expect(n).toBeLessThanOrEqual(truth.length);
		const bad = await call(icsGET, `/api/bijeenkomsten.ics?theme=onzin`, {}, store.db);
		expect(bad.status).toBe(400);
		expect((await bad.json()).error).toMatch(/Onbekend thema "onzin"/);
	});

	it('staff edit an action through the form: the text is required, a stale form is refused, nothing else moves', async () => {
		const wijk = wijken[3];
		const act = (await getAgenda(store.db, wijk))!.ambitions[0].actions[0];
		const user = {
			id: 7,
			email: 'wijkregisseur@gemeente.example',
			name: 'W',
			role: 'wijkregisseur',
			department: null,
			wijken: [wijk]
		};
		const submit = (fields: Record<string, string | number>) => {
			const body = new FormData();
			for (const [k, v] of Object.entries(fields)) body.set(k, String(v));
			const request = new Request(`http://wijkkaart.test/beheer/agenda/${wijk}?/action`, {
				method: 'POST',
				body
			});
			return beheer.action({
				locals: { db: store.db, user },
				params: { wijk },
				request
			} as never) as Promise<
				{ status?: number; data?: Record<string, unknown> } & Record<string, unknown>
			>;
		};
		const base = {
			id: act.id!,
			version: act.version!,
			title: act.title,
			owner: act.owner,
			status: 'loopt',
			progress: 80,
			plannedStart: act.plannedStart ?? '',
			plannedEnd: act.plannedEnd ?? '',
			actualStart: '',
			actualEnd: '',
			budget: act.budget ?? ''
		};
		const before = await storeHash(store.db);
		const noText = await submit({ ...base, text: '' });
		expect(noText.status).toBe(400);
		expect(noText.data).toMatchObject({
			field: 'text',
			error: expect.stringMatching(/openbare toelichting/)
		});
		const badProgress = await submit({ ...base, progress: 140, text: 'x' });
		expect(badProgress.data).toMatchObject({ field: 'progress' });
		expect(await storeHash(store.db)).toBe(before);

		expect(await submit({ ...base, text: 'Bestrating ligt er; nu het groen.' })).toMatchObject({
			saved: true
		});
		const stale = await submit({ ...base, progress: 90, text: 'nog eens' });
		expect(stale.status).toBe(409);
		expect(String(stale.data!.error)).toContain('wijkregisseur@gemeente.example');
		const after = (await getAgenda(store.db, wijk))!.ambitions[0].actions[0];
		expect(after).toMatchObject({ status: 'loopt', progress: 80, version: act.version! + 1 });
		expect(after.updates!.at(-1)!.text).toBe('Bestrating ligt er; nu het groen.');

		const other = (await getAgenda(store.db, wijken[4]))!.ambitions[0].actions[0];
		const foreign = await submit({ ...base, id: other.id!, version: other.version!, text: 'x' });
		expect(foreign.status).toBe(404);
	});

	it('staff place an action and link items through the form: outside the wijk, unknown buurten and items are refused, nothing else moves', async () => {
		const wijk = wijken[2];
		const act = (await getAgenda(store.db, wijk))!.ambitions[1].actions[0];
		const user = {
			id: 8,
			email: 'regie@gemeente.example',
			name: 'R',
			role: 'wijkregisseur',
			department: null,
			wijken: [wijk]
		};
		const submit = (fields: Record<string, string | number | string[]>) => {
			const body = new FormData();
			for (const [k, v] of Object.entries(fields))
				for (const one of [v].flat()) body.append(k, String(one));
			const request = new Request(`http://wijkkaart.test/beheer/agenda/${wijk}?/place`, {
				method: 'POST',
				body
			});
			return beheer.place({
				locals: { db: store.db, user },
				params: { wijk },
				request
			} as never) as Promise<
				{ status?: number; data?: Record<string, unknown> } & Record<string, unknown>
			>;
		};
		// A point inside the wijk: its buurten's representative point; another wijk's for outside.
		const pointIn = async (code: string) =>
			(
				await store.db.query<{ lon: number; lat: number }>(
					`SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM area WHERE code = $1) q`,
					[code]
				)
			)[0];
		const inside = await pointIn(wijk);
		const outside = await pointIn(wijken[5]);
		const buurten = (
			await store.db.query<{ code: string }>(
				`SELECT code FROM area WHERE parent = $1 ORDER BY code`,
				[wijk]
			)
		).map((r) => r.code);
		const foreignBuurt = (
			await store.db.query<{ code: string }>(`SELECT code FROM area WHERE parent = $1 LIMIT 1`, [
				wijken[5]
			])
		)[0].code;
		const [linked] = await store.db.query<{ id: number }>(
			`SELECT id::int FROM item WHERE published AND NOT sensitive AND deleted_at IS NULL ORDER BY id LIMIT 1`
		);
		const [secret] = await store.db.query<{ id: number }>(
			`SELECT id::int FROM item WHERE published AND sensitive AND deleted_at IS NULL ORDER BY id LIMIT 1`
		);
		const base = {
			id: act.id!,
			version: act.version!,
			buurten: [buurten[0]],
			items: `${linked.id}`
		};

		const before = await storeHash(store.db);
		const far = await submit({ ...base, lat: String(outside.lat), lon: String(outside.lon) });
		expect(far.status).toBe(400);
		expect(far.data).toMatchObject({
			field: 'geometry',
			error: expect.stringMatching(/niet in deze wijk/)
		});
		const strayBuurt = await submit({ ...base, buurten: [foreignBuurt] });
		expect(strayBuurt.data).toMatchObject({ field: 'buurten' });
		const noItem = await submit({ ...base, items: '999999999' });
		expect(noItem.data).toMatchObject({
			field: 'items',
			error: expect.stringMatching(/999999999 bestaat niet/)
		});
		// A sensitive melding is not public: an agenda may not point at it (the public_item view).
		const sensitive = await submit({ ...base, items: `${secret.id}` });
		expect(sensitive.data).toMatchObject({
			field: 'items',
			error: expect.stringMatching(new RegExp(`${secret.id} bestaat niet of is niet openbaar`))
		});
		const notNumber = await submit({ ...base, items: '12; <script>' });
		expect(notNumber.data).toMatchObject({ field: 'items' });
		const halfPoint = await submit({ ...base, lat: '52,1' });
		expect(halfPoint.data).toMatchObject({ field: 'point' });
		const crossed = await submit({
			...base,
			geometry: JSON.stringify({
				type: 'Polygon',
				coordinates: [
					[
						[inside.lon, inside.lat],
						[inside.lon + 0.001, inside.lat + 0.001],
						[inside.lon + 0.001, inside.lat],
						[inside.lon, inside.lat + 0.001],
						[inside.lon, inside.lat]
					]
				]
			})
		});
		expect(crossed.data).toMatchObject({
			field: 'geometry',
			error: expect.stringMatching(/snijdt zichzelf/)
		});
		expect(await storeHash(store.db)).toBe(before);

		// Typed latitude/longitude (Dutch decimal commas) win over the drawn shape.
		const comma = (n: number) => String(n).replace('.', ',');
		const saved = await submit({
			...base,
			lat: comma(inside.lat),
			lon: comma(inside.lon),
			geometry: '{"type":"Point","coordinates":[0,0]}',
			text: 'De actie heeft nu een plek.'
		});
		expect(saved).toMatchObject({ saved: true });
		const after = (await getAgenda(store.db, wijk))!.ambitions[1].actions.find(
			(a) => a.id === act.id
		)!;
		expect(after.geometry).toMatchObject({ type: 'Point' });
		const [lon, lat] = (after.geometry as { coordinates: number[] }).coordinates;
		expect(lon).toBeCloseTo(inside.lon, 5);
		expect(lat).toBeCloseTo(inside.lat, 5);
		expect(after).toMatchObject({
			buurten: [buurten[0]],
			items: [linked.id],
			version: act.version! + 1,
			status: act.status,
			progress: act.progress
		});
		expect(after.updates!.at(-1)!.text).toBe('De actie heeft nu een plek.');
		const [audit] = await store.db.query<{
			actor: string;
			before: { items: number[] };
			after: { items: number[]; geometry: { type: string } };
		}>(
			`SELECT actor, before, after FROM audit_log WHERE action = 'action.place' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
			[String(act.id)]
		);
		expect(audit.after).toMatchObject({ items: [linked.id], geometry: { type: 'Point' } });

		// The export carries the new place, and a form from before the change is refused.
		const exported = await (
			await call(
				exportGET,
				`/api/wijken/${wijk}/agenda.json`,
				{ code: wijk, file: 'agenda.json' },
				store.db
			)
		).json();
		expect(JSON.stringify(exported)).toContain(String(inside.lon).slice(0, 6));
		const stale = await submit({ ...base, buurten: [] });
		expect(stale.status).toBe(409);
		expect(String(stale.data!.error)).toContain('regie@gemeente.example');
	});
});
