import { describe, expect, it } from 'vitest';
import { dutchStamp } from '../../src/lib/domain/local-time.ts';
import { VersionConflict } from '../../src/lib/server/agenda/store.ts';

describe('when something changed, as a Dutch clock shows it', () => {
	it('uses winter and summer time, not UTC', () => {
		expect(dutchStamp('2026-11-23T17:25:00Z')).toBe('23-11-2026, 18:25');
		expect(dutchStamp(new Date('2026-07-01T10:00:00Z'))).toBe('01-07-2026, 12:00');
	});

	it('tells a wijkregisseur who changed an action and when, in local time', () => {
		const c = VersionConflict.of({ version: 4, updated_by: 'wies@gemeente.nl', updated_at: new Date('2026-11-23T17:25:00Z') });
		expect(c.current.version).toBe(4);
		expect(c.message).toBe('Deze actie is intussen gewijzigd door wies@gemeente.nl om 23-11-2026, 18:25; laad de pagina opnieuw.');
	});
});
