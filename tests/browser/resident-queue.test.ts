import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { login, OTHER_WIJK, OWN_WIJK, PERSONAS, seedAccounts } from '../integration/auth-setup.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import type { ItemInput } from '../../src/lib/domain/items.ts';

/**
 * The staff work queue (/beheer/items), a refused save shown at its form, the reporter's address
 * for staff only, the /beheer links, and the residents' "Volg" page with its e-mail
 * subscription and the feed stylesheet, in chromium against the production build.
 */
const SHOTS = '/tmp/shots-resident';
const REGISSEUR = PERSONAS.find((p) => p.key === 'wijkregisseur')!;
const DAY = 86_400_000;

describe(`work queue and follow page in the browser (${storeName})`, () => {
	let portal: Portal;
	let base: string;
	let staff: BrowserContext;
	let otherItem = 0;
	let reporterItem = 0;
	/** Counted straight from what the seed wrote, not through the queue's SQL. */
	const expected = { own: 0, heropend: 0, late: 0 };

	beforeAll(async () => {
		portal = await openPortal(async (store) => {
			const db = store.db;
			await seedAccounts(db);
			const pts = await db.query<{ code: string; x: number; y: number }>(
				`SELECT code, ST_X(ST_PointOnSurface(geom))::float8 x, ST_Y(ST_PointOnSurface(geom))::float8 y FROM area WHERE level = 'wijk' AND code = ANY($1::text[]) ORDER BY code`,
				[[OWN_WIJK, OTHER_WIJK]]
			);
			const now = Date.now();
			const statuses = ['gemeld', 'in_behandeling', 'ingepland', 'heropend', 'afgehandeld'];
			const items: (ItemInput & { dueAt: Date })[] = [];
			// 70 meldingen in the user's own wijk (two pages), 10 in another; every third past its term.
			for (let k = 0; k < 80; k++) {
				const own = k < 70;
				const p = own ? pts[0] : pts[1];
				const status = statuses[k % statuses.length];
				// An hour off the day: no term ends right at the moment the test runs.
				const created = new Date(now - (5 + k) * DAY - 3_600_000);
				const due = new Date(created.getTime() + (k % 3 === 0 ? 3 : 60) * DAY);
				items.push({
					layer: 'meldingen' as const,
					title: `Lantaarnpaal ${k} Oudegracht`,
					description: 'Brandt niet',
					theme: 'openbare-ruimte',
					status,
					category: 'straatverlichting',
					createdAt: created,
					dueAt: due,
					geometry: {
						type: 'Point' as const,
						coordinates: [p.x + (k % 7) * 0.0001, p.y] as [number, number]
					},
					contact: k === 1 ? { email: 'melder@voorbeeld.nl' } : null
				});
				if (own) {
					expected.own++;
					if (status === 'heropend') expected.heropend++;
					if (due.getTime() < now && status !== 'afgehandeld') expected.late++;
				}
			}
			const ids = await db.transaction(async (tx) => {
				await syncTaxonomy(tx);
				return (await insertItems(tx, items)).ids as number[];
			});
			// insertItems fixes due_at from the category's term; set the seeded terms as they are meant.
			await db.query(
				`UPDATE item SET due_at = d FROM unnest($1::bigint[], $2::timestamptz[]) AS x(id, d) WHERE item.id = x.id`,
				[ids, items.map((i) => i.dueAt.toISOString())]
			);
			reporterItem = ids[1];
			otherItem = ids[75];
		});
		base = portal.server.url;
		expected.own++; // the project seedAccounts places in the own wijk
		staff = await portal.browser.newContext({
			viewport: { width: 1440, height: 1000 },
			locale: 'nl-NL'
		});
		const { cookie } = await login(base, REGISSEUR.email);
		const [name, value] = cookie!.split('=');
		await staff.addCookies([{ name, value, url: base }]);
	}, 300_000);
	afterAll(async () => {
		await staff?.close();
		await portal?.close();
	});

	const open = async (path: string, ctx: BrowserContext = staff): Promise<Page> => {
		const page = await ctx.newPage();
		// Item pages hold a map that keeps loading; the page is usable once hydrated. The staff
		// item page never goes network-idle (its drawing map): its ready mark says hydrated sooner
		// than the 8 s that waiting for idle ran out there.
		await page.goto(`${base}${path}`, { waitUntil: 'load' });
		await Promise.any([
			page.waitForLoadState('networkidle', { timeout: 8000 }),
			page.locator('[data-draw-ready="true"]').waitFor({ state: 'attached', timeout: 8000 })
		]).catch(() => undefined);
		return page;
	};

	it('links a wijkregisseur to the queue, overdue and reopened meldingen and the agenda editor of their wijk', async () => {
		const page = await open('/beheer');
		const hrefs = await page
			.locator('nav.beheer-links a')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		expect(hrefs).toEqual(
			expect.arrayContaining([
				'/beheer/items',
				'/beheer/items?status=te_laat',
				'/beheer/items?status=heropend&laag=meldingen',
				'/beheer/items/nieuw',
				`/beheer/agenda/${OWN_WIJK}`
			])
		);
		expect(hrefs).not.toContain(`/beheer/agenda/${OTHER_WIJK}`);
		expect(hrefs).not.toContain('/beheer/moderatie');
		await page.close();
	});

	it('shows the own wijk by default, counts per status, filters reopened and overdue, sorts by term and pages', async () => {
		const page = await open('/beheer/items');
		await expect
			.poll(() => page.locator('caption').textContent())
			.toContain(`${expected.own} items`);
		expect(await page.locator('caption').textContent()).toContain('Pagina 1 van 2');
		expect(await page.locator('tbody tr').count()).toBe(50);
		// Readable labels, never the stored value.
		const shown = await page.locator('tbody td[data-testid=status]').allTextContents();
		expect(shown).toContain('in behandeling');
		expect(shown).not.toContain('in_behandeling');
		const counts = await page.locator('[data-testid=status-counts]').textContent();
		expect(counts).toContain(`heropend: ${expected.heropend}`);
		expect(counts).toContain(`te laat (termijn verstreken): ${expected.late}`);
		// Sorted by due date: the first page's dates never go down.
		const due = await page
			.locator('tbody tr td:last-child time')
			.evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
		expect([...due].sort()).toEqual(due);
		await page.screenshot({ path: `${SHOTS}/beheer-queue-1440.png`, fullPage: true });
		await page.click('a[rel=next]');
		await page.waitForURL(/pagina=2/);
		expect(await page.locator('tbody tr').count()).toBe(expected.own - 50);
		await page.goto(`${base}/beheer/items?status=heropend`, { waitUntil: 'networkidle' });
		expect(await page.locator('caption').textContent()).toContain(`${expected.heropend} items`);
		expect(new Set(await page.locator('tbody td[data-testid=status]').allTextContents())).toEqual(
			new Set(['heropend'])
		);
		await page.goto(`${base}/beheer/items?status=te_laat`, { waitUntil: 'networkidle' });
		expect(await page.locator('caption').textContent()).toContain(`${expected.late} items`);
		expect(await page.locator('tbody .late-tag').count()).toBe(expected.late);
		await page.close();
	});

	it('answers several duplicates at once, each a status change with the same public text', async () => {
		const page = await open('/beheer/items?status=gemeld&sortering=oudste');
		const boxes = page.locator('tbody input[type=checkbox][name=id]');
		const ids = (
			await boxes.evaluateAll((bs) => bs.slice(0, 2).map((b) => (b as HTMLInputElement).value))
		).map(Number);
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.selectOption('#bulk-status', 'afgehandeld');
		await page.fill('#bulk-text', 'Dubbel gemeld: de lamp is vervangen.');
		await page.click('#bulk button[type=submit]');
		await expect
			.poll(() => page.locator('p.ok[role=status]').textContent())
			.toContain('2 items beantwoord');
		for (const id of ids) {
			const item = await open(`/beheer/items/${id}`);
			expect(await item.locator('[data-testid=item-state]').textContent()).toContain('afgehandeld');
			expect(await item.locator('main').textContent()).toContain(
				'Dubbel gemeld: de lamp is vervangen.'
			);
			await item.close();
		}
		await page.close();
	});

	it('shows a refused save ("buiten uw wijken") at the form, and the reporter’s address only on request', async () => {
		const page = await open(`/beheer/items/${otherItem}`);
		await page.fill('#s-text', 'Wordt opgepakt');
		await page.selectOption('#s-status', 'in_behandeling');
		await page.click('form.status button[type=submit]');
		const alert = page.locator('section[aria-labelledby=status-h] .error[role=alert]');
		await expect.poll(() => alert.textContent()).toContain('buiten uw wijken');
		// Nothing changed.
		expect(await page.locator('[data-testid=item-state]').textContent()).not.toContain(
			'in behandeling'
		);
		await page.close();

		const mine = await open(`/beheer/items/${reporterItem}`);
		expect(await mine.content()).not.toContain('melder@voorbeeld.nl');
		await mine.click('section[aria-labelledby=contact-h] button');
		await expect
			.poll(() => mine.locator('[data-testid=reporter-contact]').textContent())
			.toContain('melder@voorbeeld.nl');
		await mine.close();
		// The public page of the same melding never has it.
		const anon = await portal.browser.newContext();
		const pub = await open(`/item/${reporterItem}`, anon);
		expect(await pub.content()).not.toContain('melder@voorbeeld.nl');
		await anon.close();
	});

	it('never shows a wijkregisseur’s sign-in address on the public wijk page', async () => {
		const html = await (await fetch(`${base}/wijk/${OWN_WIJK}`)).text();
		expect(html).not.toContain(REGISSEUR.email);
		expect(html).not.toMatch(/@gemeente\.test/);
	});

	it('offers e-mail next to the feeds on the "Volg" page, with a double opt-in, and styles the feed for browsers', async () => {
		const anon = await portal.browser.newContext({
			viewport: { width: 1440, height: 900 },
			locale: 'nl-NL'
		});
		const wijkPage = await open(`/wijk/${OWN_WIJK}`, anon);
		const link = wijkPage.locator('section.follow a.primary');
		expect(await link.getAttribute('href')).toBe(`/volgen?soort=wijk&code=${OWN_WIJK}`);
		await link.click();
		await wijkPage.waitForURL(/\/volgen\?/);
		// The page has arrived when its heading has; not "network idle", which the wijk page's map
		// may keep from coming (this portal has no area tiles, and the reader's 404 stays open).
		await wijkPage.locator('h1', { hasText: /^Volg wijk / }).waitFor();
		expect(await wijkPage.locator('h1').textContent()).toMatch(/^Volg wijk /);
		expect(await wijkPage.locator('a[href$=".atom"]').getAttribute('href')).toBe(
			`/feeds/wijk/${OWN_WIJK}.atom`
		);
		await wijkPage.screenshot({ path: `${SHOTS}/volgen-1440.png`, fullPage: true });
		await wijkPage.fill('#follow-email', 'geen-adres');
		// The browser's own check would stop an invalid address; the server's message is what counts.
		await wijkPage.locator('#follow-email').evaluate((i) => i.removeAttribute('type'));
		await wijkPage.click('section[aria-labelledby=per-mail] button[type=submit]');
		await expect
			.poll(() => wijkPage.locator('#follow-error').textContent())
			.toContain('geldig e-mailadres');
		await wijkPage.fill('#follow-email', 'Buurman@Voorbeeld.nl');
		await wijkPage.click('section[aria-labelledby=per-mail] button[type=submit]');
		await expect
			.poll(() => wijkPage.locator('.done[role=status]').textContent())
			.toContain('bevestigen');

		// A browser that opens the real feed sees it through static/feed.xsl: its title and one article per entry.
		const [feedText, atomType] = await wijkPage.evaluate(async (code) => {
			const r = await fetch(`/feeds/wijk/${code}.atom`, {
				headers: { accept: 'application/atom+xml' }
			});
			return [await r.text(), r.headers.get('content-type')];
		}, OWN_WIJK);
		expect(atomType).toMatch(/^application\/atom\+xml/);
		expect(feedText).toMatch(
			/^<\?xml[^>]*\?>\n<\?xml-stylesheet type="text\/xsl" href="\/feed\.xsl"\?>/
		);
		const feedTitle = /<title[^>]*>([^<]*)<\/title>/.exec(feedText)![1];
		const entries = feedText.split('<entry>').length - 1;
		const shown = await wijkPage.goto(`${base}/feeds/wijk/${OWN_WIJK}.atom`);
		expect(shown!.headers()['content-type']).toMatch(/^application\/xml/);
		expect(await wijkPage.locator('h1').textContent()).toBe(feedTitle);
		expect(await wijkPage.locator('article').count()).toBe(entries);
		expect(entries).toBeGreaterThan(0);
		expect(await wijkPage.locator('a[href="/volgen"]').count()).toBeGreaterThan(0);
		await wijkPage.screenshot({ path: `${SHOTS}/feed-in-browser.png`, fullPage: true });

		await anon.close();
		const small = await portal.browser.newContext({
			viewport: { width: 390, height: 844 },
			locale: 'nl-NL'
		});
		const phone = await small.newPage();
		await phone.goto(`${base}/volgen?soort=wijk&code=${OWN_WIJK}`, { waitUntil: 'networkidle' });
		// The page's own content fits (the site header's phone layout is issue 20 §3, done apart).
		expect(
			await phone.evaluate(() =>
				Math.max(
					...[...document.querySelectorAll('main *')].map((e) => e.getBoundingClientRect().right)
				)
			)
		).toBeLessThanOrEqual(390);
		await phone.screenshot({ path: `${SHOTS}/volgen-390.png`, fullPage: true });
		await small.close();

		const staffPhone = await portal.browser.newContext({
			viewport: { width: 390, height: 844 },
			locale: 'nl-NL'
		});
		await staffPhone.addCookies(await staff.cookies());
		const q = await staffPhone.newPage();
		await q.goto(`${base}/beheer/items`, { waitUntil: 'networkidle' });
		await q.screenshot({ path: `${SHOTS}/beheer-queue-390.png`, fullPage: true });
		await staffPhone.close();
	});
});
