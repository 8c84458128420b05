import { describe, expect, it } from 'vitest';
import { swallowedError } from '../../src/lib/server/db/pglite.ts';
import { StatementFailed } from '../../src/lib/server/db/statement-failed.ts';
import { derivedTitle, titleSource } from '../../src/lib/server/import/items-map.ts';

describe('the signature of an error PGlite swallowed', () => {
	const warn = (message: string) => ({ severity: 'WARNING', message });
	it('is a result without a command tag, or the leak warnings of an abandoned statement', () => {
		expect(swallowedError([{ command: 'SELECT' }], [])).toBeNull();
		expect(
			swallowedError(
				[{ command: 'UPDATE' }],
				[{ severity: 'NOTICE', message: 'relation exists, skipping' }]
			)
		).toBeNull();
		expect(swallowedError([{}], [])).toEqual([]);
		expect(
			swallowedError([{ command: 'INSERT' }], [warn('snapshot 0xa2840e8 still active')])
		).toEqual(['snapshot 0xa2840e8 still active']);
		expect(
			swallowedError(
				[],
				[warn('resource was not closed: cache pg_proc (47), tuple 109/22 has count 1')]
			)
		).toHaveLength(1);
	});

	it('becomes an error with a stable code that names the purpose in Dutch and in English', () => {
		const e = new StatementFailed('parents', 'SELECT 1', []);
		expect(e.code).toBe('store.statement_failed');
		expect(e.message).toMatch(
			/^De databaseopdracht "oudergebieden bepalen \(aandeel oppervlak\)" is mislukt/
		);
		expect(e.messageIn('en')).toMatch(
			/^The database statement "finding parent areas \(area share\)" failed/
		);
		expect(new StatementFailed(null, 'SELECT   ST_Union(geom)\n FROM area', []).message).toMatch(
			/"SELECT ST_Union\(geom\) FROM area"/
		);
	});
});

describe('titles for a file without a title column', () => {
	const when = new Date('2024-03-12T08:30:00Z');
	it('uses the label with the date and the number, else the description, else the place in the file', () => {
		expect(
			derivedTitle({ label: 'Verkeer', when, id: 'A-17', description: null, ref: 'regel 2' })
		).toBe('Verkeer, 12-03-2024 (nr. A-17)');
		expect(
			derivedTitle({ label: 'Verkeer', when: null, id: 'A-17', description: 'x', ref: 'regel 2' })
		).toBe('Verkeer (nr. A-17)');
		expect(
			derivedTitle({
				label: 'Verkeer',
				when: null,
				id: null,
				description: 'Paal  scheef',
				ref: 'regel 2'
			})
		).toBe('Paal scheef');
		expect(
			derivedTitle({
				label: 'Verkeer',
				when: null,
				id: null,
				description: 'woord '.repeat(30),
				ref: 'regel 2'
			})
		).toMatch(/^(woord ){12}woord…$/);
		expect(
			derivedTitle({ label: 'Verkeer', when: null, id: null, description: null, ref: 'regel 2' })
		).toBe('Verkeer (regel 2)');
	});

	it('says how in the summary', () => {
		expect(titleSource({ title: 'naam' })).toBeNull();
		expect(titleSource({ createdAt: 'datum', externalId: 'id' })).toBe(
			'afgeleid: categorie of thema + datum (datum) + nummer (id)'
		);
		expect(titleSource({ description: 'omschrijving' })).toBe(
			'afgeleid: begin van de omschrijving (omschrijving)'
		);
	});
});
