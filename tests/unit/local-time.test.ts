import { describe, expect, it } from 'vitest';
import { dutchStamp } from '../../src/lib/domain/local-time.ts';
import { VersionConflict } from '../../src/lib/server/agenda/store.ts';

describe('when something changed, as a Dutch clock shows it', () => {
	it('uses winter and summer time, not UTC', () => {
		expect(dutchStamp('2026-11-23T17:25:00Z')).toBe('23-11-2026, 18:25');
		expect(dutchStamp(new Date('2026-07-01T10:00:00Z'))).toBe('01-07-2026, 12:00');
	});

	it('tells a wijkregisseur who changed an action and when, in local time', () => {
		const c = VersionConflict.of({
			version: 4,
			updated_by: 'wies@gemeente.nl',
			updated_at: new Date('2026-11-23T17:25:00Z')
		});
		expect(c.current.version).toBe(4);
		expect(c.message).toBe(
			'Deze actie is intussen gewijzigd door wies@gemeente.nl om 23-11-2026, 18:25; laad de pagina opnieuw.'
		);
	});
});

describe("the portal's pages show the clock of the Netherlands whatever the server's zone", () => {
	it('formats a meeting at 19:30 Dutch time the same with the process in UTC, Amsterdam or New York', async () => {
		const { dutchDateFormat } = await import('../../src/lib/domain/local-time.ts');
		const saved = process.env.TZ;
		const seen: string[] = [];
		try {
			for (const tz of ['UTC', 'Europe/Amsterdam', 'America/New_York']) {
				process.env.TZ = tz;
				seen.push(
					dutchDateFormat('nl', { dateStyle: 'full', timeStyle: 'short' }).format(
						new Date('2027-01-15T18:30:00Z')
					)
				);
			}
		} finally {
			process.env.TZ = saved;
		}
		expect(seen).toEqual(Array(3).fill('vrijdag 15 januari 2027 om 19:30'));
	});

	it('no page or component formats a date without the Dutch zone', async () => {
		const { readdirSync, readFileSync } = await import('node:fs');
		const path = await import('node:path');
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const e of readdirSync(dir, { withFileTypes: true })) {
				const p = path.join(dir, e.name);
				if (e.isDirectory()) walk(p);
				else if (
					/\.(svelte|ts)$/.test(e.name) &&
					!p.includes(`${path.sep}server${path.sep}bench`)
				) {
					const text = readFileSync(p, 'utf8');
					// Every Intl.DateTimeFormat names its zone (or is dutchDateFormat, which does).
					for (const m of text.matchAll(/new Intl\.DateTimeFormat\(([^;]*?)\)\)?[;.]/gs))
						if (!m[1].includes('timeZone')) offenders.push(p);
					if (
						/\.toLocale(Date|Time)?String\(/.test(text.replace(/\.toLocaleString\('nl-NL'\)/g, ''))
					)
						offenders.push(p);
				}
			}
		};
		walk(path.resolve('src'));
		expect(offenders).toEqual([]);
	});
});
