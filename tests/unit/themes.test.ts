import { describe, expect, it } from 'vitest';
import defaults from '../../src/lib/domain/themes.default.json' with { type: 'json' };
import {
	contrastRatio,
	findCategory,
	parseTaxonomy,
	publicTheme
} from '../../src/lib/domain/themes.ts';

describe('theme taxonomy', () => {
	const tax = parseTaxonomy(defaults);

	it('has the eleven themes of the issue with Dutch and English names, icons and distinct colours', () => {
		expect(tax.themes.map((t) => t.id)).toEqual([
			'openbare-ruimte',
			'groen-water',
			'verkeer',
			'veiligheid',
			'jeugd-onderwijs',
			'zorg-welzijn',
			'wonen-bouwen',
			'sociale-cohesie',
			'economie',
			'duurzaamheid',
			'cultuur-sport'
		]);
		for (const t of tax.themes) {
			expect(t.nl).toBeTruthy();
			expect(t.en).toBeTruthy();
			expect(t.icon).toMatch(/^[a-z-]+$/);
		}
		expect(new Set(tax.themes.map((t) => t.color)).size).toBe(tax.themes.length);
	});

	it('marks colours below WCAG AA against white as fill-only, and the rest reach 4.5:1', () => {
		const themes = tax.themes.map(publicTheme);
		for (const t of themes) {
			expect(t.fillOnly).toBe(contrastRatio(t.color, '#FFFFFF') < 4.5);
			if (!t.fillOnly) expect(contrastRatio(t.color, '#FFFFFF')).toBeGreaterThanOrEqual(4.5);
		}
		expect(themes.filter((t) => !t.fillOnly).length).toBeGreaterThanOrEqual(8);
		expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
		expect(contrastRatio('#777777', '#FFFFFF')).toBeCloseTo(4.48, 2);
	});

	it('maps melding categories onto themes with their SLA and sensitivity', () => {
		const cat = (id: string) => tax.categories.find((c) => c.id === id)!;
		expect(cat('straatverlichting')).toMatchObject({
			theme: 'openbare-ruimte',
			slaDays: 5,
			sensitive: false
		});
		expect(cat('afval')).toMatchObject({ theme: 'openbare-ruimte', slaDays: 3 });
		expect(cat('bomen-groen')).toMatchObject({ theme: 'groen-water', slaDays: 10 });
		expect(cat('wegen')).toMatchObject({ theme: 'verkeer', slaDays: 10 });
		expect(cat('fout-parkeren')).toMatchObject({ theme: 'verkeer', slaDays: 2 });
		expect(cat('woonoverlast')).toMatchObject({ theme: 'veiligheid', sensitive: true });
		expect(cat('overlast-personen')).toMatchObject({ theme: 'veiligheid', sensitive: true });
		expect(cat('geluidsoverlast')).toMatchObject({ theme: 'veiligheid', sensitive: false });
		expect(cat('speelvoorzieningen')).toMatchObject({ theme: 'jeugd-onderwijs' });
		expect(findCategory(tax, 'Straatverlichting kapot')?.id).toBe('straatverlichting');
		expect(findCategory(tax, 'Noise nuisance')?.id).toBe('geluidsoverlast');
	});

	it('refuses a configuration with an unknown theme, a bad colour or a duplicate id, naming the fault', () => {
		const base = { themes: [{ id: 'groen', nl: 'Groen', color: '#2E7D32', icon: 'tree' }] };
		expect(() =>
			parseTaxonomy({
				...base,
				categories: [{ id: 'bomen', nl: 'Bomen', theme: 'water', slaDays: 3 }]
			})
		).toThrow(/onbekend thema "water"; toegestaan: groen/);
		expect(() => parseTaxonomy({ themes: [{ id: 'groen', nl: 'Groen', color: 'green' }] })).toThrow(
			/kleur "green"/
		);
		expect(() => parseTaxonomy({ themes: [...base.themes, ...base.themes] })).toThrow(
			/"groen" komt twee keer voor/
		);
		expect(() =>
			parseTaxonomy({ ...base, categories: [{ id: 'x', nl: 'X', theme: 'groen', slaDays: 0 }] })
		).toThrow(/slaDays/);
		expect(() => parseTaxonomy({})).toThrow(/themes/);
	});
});
