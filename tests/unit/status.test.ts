import { describe, expect, it } from 'vitest';
import { LAYERS, STATUSES } from '../../src/lib/domain/layers.ts';
import { statusChangeError, statusError } from '../../src/lib/domain/status.ts';

import { messageText } from '../../src/lib/i18n/localize.ts';

/** "field: Dutch text" of a refused change, or null. */
const said = (change: Parameters<typeof statusChangeError>[0]) => {
	const e = statusChangeError(change);
	return e && `${e.field}: ${messageText('nl', e.message.code, e.message.params)}`;
};

describe('status rules', () => {
	it('allows per layer exactly the statuses of the issue', () => {
		expect(STATUSES.initiatieven.map((s) => s.id)).toEqual([
			'idee',
			'aangevraagd',
			'toegekend',
			'in_uitvoering',
			'afgerond',
			'afgewezen'
		]);
		expect(STATUSES.projecten.map((s) => s.id)).toEqual([
			'verkenning',
			'ontwerp',
			'besluitvorming',
			'uitvoering',
			'opgeleverd'
		]);
		expect(STATUSES.meldingen.map((s) => s.id)).toEqual([
			'gemeld',
			'in_behandeling',
			'ingepland',
			'afgehandeld',
			'heropend',
			'geannuleerd'
		]);
		expect(STATUSES.bijeenkomsten.map((s) => s.id)).toEqual(['gepland', 'geweest', 'geannuleerd']);
		expect(STATUSES.initiatieven.find((s) => s.id === 'in_uitvoering')!.nl).toBe('in uitvoering');
		for (const l of LAYERS) expect(statusError(l, STATUSES[l][0].id)).toBeNull();
	});

	it('refuses a status of another layer and lists the accepted ones', () => {
		expect(statusError('meldingen', 'idee')).toBe(
			'onbekende status "idee" voor meldingen; toegestaan: gemeld, in_behandeling, ingepland, afgehandeld, heropend, geannuleerd'
		);
		expect(statusError('projecten', 'afgerond')).toMatch(/toegestaan: verkenning, ontwerp/);
	});

	it('needs a public text for every change and a public reason for a rejection', () => {
		const base = { layer: 'initiatieven' as const, from: 'aangevraagd', to: 'afgewezen' };
		expect(said({ ...base, publicText: '  ', reason: 'te duur' })).toMatch(
			/^publicText: .*openbare toelichting/
		);
		expect(said({ ...base, publicText: 'Helaas.' })).toMatch(/^reason: .*reden van afwijzing/);
		expect(said({ ...base, publicText: 'Helaas.', reason: '   ' })).toMatch(/reden van afwijzing/);
		expect(said({ ...base, publicText: 'Helaas.', reason: 'Past niet in het fonds.' })).toBeNull();
		expect(
			said({
				layer: 'meldingen',
				from: 'gemeld',
				to: 'afgehandeld',
				publicText: 'Opgelost.'
			})
		).toBeNull();
		expect(said({ layer: 'meldingen', from: 'idee', to: 'afgehandeld', publicText: 'x' })).toMatch(
			/^status: onbekende status "idee"/i
		);
	});

	it('accepts only an http(s) address as the minutes of a meeting', () => {
		const held = {
			layer: 'bijeenkomsten' as const,
			from: 'gepland',
			to: 'geweest',
			publicText: 'Dank voor uw komst.'
		};
		expect(said({ ...held, reportUrl: 'https://example.org/verslag.pdf' })).toBeNull();
		expect(said({ ...held, reportUrl: 'javascript:alert(1)' })).toMatch(
			/^details.reportUrl: .*geen http\(s\)-adres/
		);
	});
});
