import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { config } from '../../src/lib/server/config.ts';
import { changeStatus, type Conflict, type Saved } from '../../src/lib/server/items/edit.ts';
import { getStaffItem } from '../../src/lib/server/items/staff-read.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { mailTick } from '../../src/lib/server/mail/loop.ts';
import {
	deliverDue,
	purgeExpired,
	queueOverviews,
	retryDelaySeconds,
	smtpTransport
} from '../../src/lib/server/mail/send.ts';
import {
	confirmSubscription,
	subscribe,
	unsubscribe
} from '../../src/lib/server/mail/subscriptions.ts';
import { approve, merge, reject } from '../../src/lib/server/moderation.ts';
import { submitInitiative, submitMelding } from '../../src/lib/server/residents/submit.ts';
import { answerSolved, trackView } from '../../src/lib/server/residents/track.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/** A local SMTP sink on loopback: what a mail server would receive, parsed by mailparser. */
function smtpSink() {
	const inbox: ParsedMail[] = [];
	let refuse = false;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, cb) {
			if (refuse) {
				stream.resume();
				stream.on('end', () =>
					cb(Object.assign(new Error('451 tijdelijk niet'), { responseCode: 451 }))
				);
				return;
			}
			simpleParser(stream).then((m) => {
				inbox.push(m);
				cb();
			}, cb);
		}
	});
	return {
		inbox,
		server,
		setRefuse: (v: boolean) => (refuse = v),
		async start() {
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			return `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
		},
		stop: () => new Promise<void>((r) => server.close(() => r()))
	};
}

const links = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
const tokenOf = (link: string, prefix: string) => new URL(link).pathname.slice(prefix.length);

describe(`resident e-mail on ${storeName}`, () => {
	let store: TestStore;
	let sink: ReturnType<typeof smtpSink>;
	let transport: ReturnType<typeof smtpTransport>;
	let staff: StaffUser;
	let point: [number, number];
	let wijk: string;
	const cfg = () => ({
		...config(),
		publicUrl: null,
		mailFrom: 'Gemeente <wijkkaart@gemeente.invalid>'
	});
	const ctx = () => ({
		actor: staff,
		client: '127.0.0.1',
		baseUrl: 'https://wijkkaart.gemeente.invalid'
	});
	const ok = (r: Saved | Conflict) => {
		if (r.kind !== 'ok') throw new Error(r.message.code);
		return r.item;
	};
	const deliver = () => deliverDue(store.db, transport, cfg());
	const outbox = () =>
		store.db.query<{
			kind: string;
			item_id: string | null;
			outcome: string | null;
			attempts: number;
			last_error: string | null;
		}>(`SELECT * FROM mail_outbox ORDER BY id`);

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const [u] = await store.db.query<{ id: number }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('mod@gemeente.invalid', 'Mo', 'beheerder') RETURNING id`
		);
		staff = {
			id: Number(u.id),
			email: 'mod@gemeente.invalid',
			name: 'Mo',
			role: 'beheerder',
			department: null,
			wijken: []
		};
		const [p] = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT code, ST_X(ST_PointOnSurface(geom))::float8 x, ST_Y(ST_PointOnSurface(geom))::float8 y FROM area WHERE level = 'wijk' ORDER BY code LIMIT 1`
		);
		point = [p.x, p.y];
		wijk = p.code;
		sink = smtpSink();
		transport = smtpTransport(await sink.start());
	});
	afterAll(async () => {
		transport?.close();
		await sink?.stop();
		await store?.dispose();
	});

	async function melding(email: string, lang: 'nl' | 'en' = 'nl') {
		const out = await submitMelding(
			store.db,
			{
				fields: {
					category: 'straatverlichting',
					description: 'Lamp brandt niet bij nr. 12',
					email,
					lat: String(point[1]),
					lon: String(point[0])
				},
				photo: null,
				lang,
				baseUrl: 'http://localhost:3000'
			},
			'10.0.0.9'
		);
		if (!out.ok) throw new Error(JSON.stringify(out.errors));
		return out;
	}

	it('confirms a melding with its own working tracking link and a stop link; the outbox holds no address', async () => {
		const sub = await melding('Bewoner@Voorbeeld.nl');
		const rows = await outbox();
		expect(rows.map((r) => [r.kind, Number(r.item_id), r.outcome])).toEqual([
			['bevestiging', sub.itemId, null]
		]);
		expect(JSON.stringify(rows)).not.toMatch(/voorbeeld/i);
		expect(await deliver()).toMatchObject({ sent: 1 });
		const [m] = sink.inbox.splice(0);
		expect(m.to && 'text' in m.to ? m.to.text.toLowerCase() : '').toBe('bewoner@voorbeeld.nl');
		expect(m.from?.text).toContain('wijkkaart@gemeente.invalid');
		expect(m.subject).toBe(`Uw melding ${sub.trackingNumber} is ontvangen`);
		expect(m.text).toContain('Lamp brandt niet bij nr. 12');
		const [track, stop] = links(m.text!);
		expect(track).toMatch(/^http:\/\/localhost:3000\/volg\/[A-Za-z0-9_-]{43}$/);
		// A new link, not the one the submitter got on screen, and it opens the same melding.
		expect(tokenOf(track, '/volg/')).not.toBe(sub.token);
		expect((await trackView(store.db, tokenOf(track, '/volg/')))?.trackingNumber).toBe(
			sub.trackingNumber
		);
		expect(stop).toMatch(/^http:\/\/localhost:3000\/afmelden\//);
		expect((m.headers.get('list') as { unsubscribe?: { url?: string } })?.unsubscribe?.url).toBe(
			stop
		);
		expect((await outbox())[0].outcome).toBe('verzonden');
	});

	it('sends each status change with its public text and asks "opgelost?" when closed; the link answers it', async () => {
		const sub = await melding('status@voorbeeld.nl', 'en');
		await deliver();
		sink.inbox.splice(0);
		await approve(store.db, sub.itemId, ctx());
		let item = (await getStaffItem(store.db, sub.itemId))!;
		item = ok(
			await changeStatus(
				store.db,
				sub.itemId,
				item.version,
				'in_behandeling',
				'De aannemer komt dinsdag.',
				ctx()
			)
		);
		ok(
			await changeStatus(
				store.db,
				sub.itemId,
				item.version,
				'afgehandeld',
				'De lamp is vervangen.',
				ctx()
			)
		);
		expect(await deliver()).toMatchObject({ sent: 2 });
		const [first, closed] = sink.inbox.splice(0);
		// English, as the resident wrote in English; links on the origin of the staff request.
		expect(first.subject).toBe(`News about your report ${sub.trackingNumber}: in progress`);
		expect(first.text).toContain('De aannemer komt dinsdag.');
		expect(first.text).not.toMatch(/solved\?/);
		expect(closed.subject).toContain('resolved');
		expect(closed.text).toContain('De lamp is vervangen.');
		expect(closed.text).toContain('Is the problem solved?');
		const answer = links(closed.text!).find((l) => l.endsWith('#opgelost'))!;
		expect(answer).toMatch(/^https:\/\/wijkkaart\.gemeente\.invalid\/volg\//);
		const token = tokenOf(answer.replace('#opgelost', ''), '/volg/');
		expect((await trackView(store.db, token))?.askSolved).toBe(true);
		// "Nee" reopens, and the resident hears that too.
		expect(await answerSolved(store.db, token, false, null)).toBe('ok');
		await deliver();
		const [reopened] = sink.inbox.splice(0);
		expect(reopened.subject).toContain('reopened');
	});

	it('tells the submitter of a merged melding what happens to the one it joined', async () => {
		const target = await melding('');
		await approve(store.db, target.itemId, ctx());
		const dup = await melding('dubbel@voorbeeld.nl');
		await merge(store.db, dup.itemId, target.itemId, ctx());
		const t = (await getStaffItem(store.db, target.itemId))!;
		ok(
			await changeStatus(
				store.db,
				target.itemId,
				t.version,
				'ingepland',
				'Gepland voor volgende week.',
				ctx()
			)
		);
		await deliver();
		const mails = sink.inbox.splice(0).filter((m) => m.subject?.includes(dup.trackingNumber));
		expect(mails.map((m) => m.subject)).toEqual([
			`Uw melding ${dup.trackingNumber} is ontvangen`,
			`Nieuws over uw melding ${dup.trackingNumber}`,
			`Nieuws over uw melding ${dup.trackingNumber}: ingepland`
		]);
		expect(mails[2].text).toContain('samengevoegd');
		expect(mails[2].text).toContain('Gepland voor volgende week.');
	});

	it('does the same for proposals: confirmation and the reason of a refusal', async () => {
		const out = await submitInitiative(
			store.db,
			{
				fields: {
					title: 'Geveltuintjes',
					description: 'Groen in de straat',
					theme: 'groen-water',
					group: 'Buurtgroep',
					email: 'groep@voorbeeld.nl',
					lat: String(point[1]),
					lon: String(point[0])
				},
				photo: null
			},
			null
		);
		if (!out.ok) throw new Error('voorstel');
		await reject(store.db, out.itemId, 'Valt buiten het wijkbudget.', ctx());
		await deliver();
		const [conf, refused] = sink.inbox.splice(0);
		expect(conf.subject).toBe(`Uw voorstel ${out.trackingNumber} is ontvangen`);
		expect(refused.subject).toBe(`Nieuws over uw voorstel ${out.trackingNumber}: afgewezen`);
		expect(refused.text).toContain('Valt buiten het wijkbudget.');
	});

	it('reads a requested amount in Dutch notation', async () => {
		const propose = (budget: string) =>
			submitInitiative(
				store.db,
				{
					fields: {
						title: 'Bankjes',
						description: 'Om te rusten',
						theme: 'groen-water',
						group: 'Buren',
						budget,
						lat: String(point[1]),
						lon: String(point[0])
					},
					photo: null
				},
				null
			);
		const amounts: (number | string)[] = [];
		for (const b of ['1.500', '1.500,50', '€ 2.000,-', '750']) {
			const out = await propose(b);
			if (!out.ok) throw new Error(JSON.stringify(out.errors));
			const [row] = await store.db.query<{ details: { budgetRequested: number } }>(
				`SELECT details FROM item WHERE id = $1`,
				[out.itemId]
			);
			amounts.push(row.details.budgetRequested);
		}
		expect(amounts).toEqual([1500, 1500.5, 2000, 750]);
		const bad = await propose('veel');
		expect(bad.ok ? null : bad.errors.budget).toBe(
			'Vul het gevraagde bedrag in euro’s in, bijvoorbeeld 1.500 of 1.500,50.'
		);
	});

	it('a refusing mail server never blocks the change; the row is retried with a growing delay and sent later', async () => {
		sink.setRefuse(true);
		const sub = await melding('retry@voorbeeld.nl');
		expect(await deliver()).toMatchObject({ sent: 0, retrying: 1 });
		let [row] = (await outbox()).filter((r) => Number(r.item_id) === sub.itemId);
		expect(row).toMatchObject({ outcome: null, attempts: 1 });
		expect(row.last_error).toMatch(/451/);
		// Not due yet: a second run leaves it alone.
		expect(await deliver()).toMatchObject({ sent: 0, retrying: 0 });
		expect(retryDelaySeconds(1)).toBe(60);
		expect(retryDelaySeconds(3)).toBe(240);
		expect(retryDelaySeconds(20)).toBe(6 * 3600);
		sink.setRefuse(false);
		await store.db.query(`UPDATE mail_outbox SET next_attempt_at = now() WHERE outcome IS NULL`);
		expect(await deliver()).toMatchObject({ sent: 1 });
		[row] = (await outbox()).filter((r) => Number(r.item_id) === sub.itemId);
		expect(row).toMatchObject({ outcome: 'verzonden', attempts: 2 });
		sink.inbox.splice(0);
	});

	it('without SMTP the outbox is kept, not sent; a stop link ends mail and erases the address', async () => {
		const sub = await melding('stop@voorbeeld.nl');
		await mailTick(store.db, null);
		expect(
			(await outbox()).filter((r) => Number(r.item_id) === sub.itemId).map((r) => r.outcome)
		).toEqual([null]);
		await deliver();
		const [m] = sink.inbox.splice(0);
		const stop = links(m.text!).find((l) => l.includes('/afmelden/'))!;
		expect(await unsubscribe(store.db, tokenOf(stop, '/afmelden/'))).toEqual({ kind: 'item' });
		const [c] = await store.db.query<{ email: string | null }>(
			`SELECT email FROM melding_contact WHERE item_id = $1`,
			[sub.itemId]
		);
		expect(c.email).toBeNull();
		await approve(store.db, sub.itemId, ctx());
		const it = (await getStaffItem(store.db, sub.itemId))!;
		ok(
			await changeStatus(
				store.db,
				sub.itemId,
				it.version,
				'in_behandeling',
				'Wordt opgepakt.',
				ctx()
			)
		);
		await deliver();
		expect(sink.inbox.splice(0)).toEqual([]);
	});

	it('erases an address the retention period after closing, not before', async () => {
		const old = await melding('oud@voorbeeld.nl');
		const recent = await melding('recent@voorbeeld.nl');
		for (const s of [old, recent]) {
			await approve(store.db, s.itemId, ctx());
			const it = (await getStaffItem(store.db, s.itemId))!;
			ok(await changeStatus(store.db, s.itemId, it.version, 'afgehandeld', 'Klaar.', ctx()));
		}
		await store.db.query(
			`UPDATE item_update SET at = now() - interval '91 days' WHERE item_id = $1`,
			[old.itemId]
		);
		await store.db.query(
			`UPDATE item_update SET at = now() - interval '89 days' WHERE item_id = $1`,
			[recent.itemId]
		);
		const counts = await purgeExpired(store.db, { ...cfg(), contactRetentionDays: 90 });
		expect(counts.contacts).toBe(1);
		const rows = await store.db.query<{ item_id: string; email: string | null }>(
			`SELECT item_id, email FROM melding_contact WHERE item_id = ANY($1::bigint[]) ORDER BY item_id`,
			[[old.itemId, recent.itemId]]
		);
		expect(rows.map((r) => r.email)).toEqual([null, 'recent@voorbeeld.nl']);
		const [audit] = await store.db.query<{ after: { contacts: number } }>(
			`SELECT after FROM audit_log WHERE action = 'mail.retention' ORDER BY id DESC LIMIT 1`
		);
		expect(audit.after.contacts).toBe(1);
		await deliver();
		sink.inbox.splice(0);
	});

	it('subscribes to a wijk with a double opt-in, sends an overview of new public items, and stops on the link', async () => {
		const [area] = await store.db.query<{ name: string }>(
			`SELECT name FROM area WHERE level = 'wijk' AND code = $1`,
			[wijk]
		);
		const res = await subscribe(
			store.db,
			'Volger@Voorbeeld.nl',
			{ kind: 'area', level: 'wijk', code: wijk, name: area.name },
			'nl',
			'http://localhost:3000'
		);
		expect(res.ok).toBe(true);
		await deliver();
		const [confirm] = sink.inbox.splice(0);
		expect(confirm.subject).toBe(`Bevestig: e-mail over wijk ${area.name}`);
		const link = links(confirm.text!)[0];
		// Unconfirmed: no overview, however long ago.
		await store.db.query(`UPDATE mail_subscription SET sent_until = now() - interval '2 days'`);
		expect(await queueOverviews(store.db, cfg())).toBe(0);
		expect(await confirmSubscription(store.db, tokenOf(link, '/volgen/bevestig/'))).toBe(true);
		await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			await insertItems(tx, [
				{
					layer: 'projecten',
					title: 'Nieuwe speelplek Zonnestraat',
					description: 'Aanleg',
					theme: 'groen-water',
					status: 'ontwerp',
					geometry: { type: 'Point', coordinates: point }
				}
			]);
		});
		// Not yet a day since confirming: nothing queued.
		expect(await queueOverviews(store.db, cfg())).toBe(0);
		await store.db.query(`UPDATE mail_subscription SET sent_until = now() - interval '25 hours'`);
		expect(await queueOverviews(store.db, cfg())).toBe(1);
		await deliver();
		const [overview] = sink.inbox.splice(0);
		expect(overview.subject).toMatch(new RegExp(`^Nieuw in wijk ${area.name}: \\d+ berichten$`));
		expect(overview.text).toContain('Nieuwe speelplek Zonnestraat');
		expect(overview.text).toMatch(/http:\/\/localhost:3000\/item\/\d+/);
		const stop = links(overview.text!).find((l) => l.includes('/afmelden/'))!;
		expect(await unsubscribe(store.db, tokenOf(stop, '/afmelden/'))).toEqual({
			kind: 'subscription'
		});
		expect(await store.db.query(`SELECT id FROM mail_subscription`)).toEqual([]);
	});

	it('refuses a fourth unconfirmed subscription for one address', async () => {
		const scope = { kind: 'theme' as const, id: 'groen-water', name: 'Groen' };
		for (let i = 0; i < 3; i++)
			expect((await subscribe(store.db, 'veel@voorbeeld.nl', scope, 'nl', null)).ok).toBe(true);
		expect(await subscribe(store.db, 'veel@voorbeeld.nl', scope, 'nl', null)).toEqual({
			ok: false,
			field: 'email',
			code: 'tooMany'
		});
		expect(await subscribe(store.db, 'geen-adres', scope, 'nl', null)).toEqual({
			ok: false,
			field: 'email',
			code: 'email'
		});
	});
});
