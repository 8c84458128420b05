import { describe, expect, it } from 'vitest';
import defaults from '../../src/lib/domain/themes.default.json' with { type: 'json' };
import { validateItem } from '../../src/lib/domain/items.ts';
import { isOverdue, dueAt } from '../../src/lib/domain/sla.ts';
import { parseTaxonomy } from '../../src/lib/domain/themes.ts';
import { generateItems, type Street } from '../../src/lib/server/demo/item-generator.ts';

const tax = parseTaxonomy(defaults);
const now = new Date('2025-06-01T00:00:00Z');
const streets: Street[] = Array.from({ length: 12 }, (_, s) => ({
	name: `Straat ${s}`,
	buurt: `Buurt ${s % 4}`,
	points: Array.from({ length: 10 }, (_, i) => [5.1 + s * 0.002 + i * 0.0004, 52.09 + s * 0.001])
}));
const options = {
	seed: 7,
	now,
	tax,
	streets,
	meldingen: 2000,
	initiatieven: 40,
	projecten: 20,
	bijeenkomsten: 30,
	sensitive: [
		{ street: streets[0], count: 6, category: 'woonoverlast' },
		{ street: streets[5], count: 2, category: 'overlast-personen' }
	],
	contactDomain: 'melder.invalid'
};

describe('generated items', () => {
	const g = generateItems(options);

	it('are the same for the same seed and moment', () => {
		expect(JSON.stringify(generateItems(options))).toBe(JSON.stringify(g));
		expect(JSON.stringify(generateItems({ ...options, seed: 8 }))).not.toBe(JSON.stringify(g));
	});

	it('cover all four layers and obey the domain rules', () => {
		const count = (l: string) => g.items.filter((i) => i.layer === l).length;
		expect([
			count('meldingen'),
			count('initiatieven'),
			count('projecten'),
			count('bijeenkomsten')
		]).toEqual([2008, 40, 20, 30]);
		for (const it of g.items) expect(() => validateItem(it, tax)).not.toThrow();
	});

	it('have timelines whose steps are public status changes ending in the current status', () => {
		for (const it of g.items) {
			const tl = it.timeline!;
			expect(tl.length).toBeGreaterThan(0);
			expect(tl[tl.length - 1].to).toBe(it.status);
			for (const e of tl) expect(e.text.trim().length).toBeGreaterThan(0);
			for (let k = 1; k < tl.length; k++) expect(tl[k].from).toBe(tl[k - 1].to);
		}
	});

	it('include overdue and sensitive meldingen exactly where asked, projects as lines and polygons, meetings past and ahead', () => {
		const meldingen = g.items.filter((i) => i.layer === 'meldingen');
		const overdue = meldingen.filter((m) =>
			isOverdue(
				{
					layer: 'meldingen',
					status: m.status,
					dueAt: dueAt(m.createdAt!, tax.categories.find((c) => c.id === m.category)!.slaDays)
				},
				now
			)
		);
		expect(overdue.length).toBeGreaterThan(50);
		expect(overdue.length).toBeLessThan(meldingen.length / 2);
		const sensitive = meldingen.filter((m) =>
			['woonoverlast', 'overlast-personen'].includes(m.category!)
		);
		expect(sensitive.map((m) => m.category)).toEqual([
			...Array(6).fill('woonoverlast'),
			...Array(2).fill('overlast-personen')
		]);
		const shapes = new Set(
			g.items.filter((i) => i.layer === 'projecten').map((i) => i.geometry.type)
		);
		expect(shapes).toEqual(new Set(['LineString', 'Polygon', 'Point']));
		const events = g.items.filter((i) => i.layer === 'bijeenkomsten');
		expect(
			events.some((e) => e.startsAt! < now && e.status === 'geweest' && e.details!.reportUrl)
		).toBe(true);
		expect(events.some((e) => e.startsAt! > now && e.status === 'gepland')).toBe(true);
		expect(new Set(events.map((e) => e.details!.participation)).size).toBeGreaterThanOrEqual(3);
		expect(
			g.items.some(
				(i) => i.layer === 'initiatieven' && i.status === 'afgewezen' && i.details!.rejectionReason
			)
		).toBe(true);
		expect(meldingen.every((m) => m.contact?.email?.endsWith('@melder.invalid'))).toBe(true);
	});

	it('link some meetings and meldingen to other items', () => {
		expect(g.links.length).toBeGreaterThan(10);
		for (const l of g.links) expect(g.items[l.from]).toBeDefined();
	});
});
