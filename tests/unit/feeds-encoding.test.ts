import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendar, type CalendarEvent } from '../../src/lib/domain/ical.ts';
import { atomFeed, feedType, type FeedEntry } from '../../src/lib/server/residents/feeds.ts';
import { readCalendars, readFeeds } from '../helpers/py-clients.ts';

/** Any text a resident, an import or an area name could bring, control characters and astral planes included. */
const anyText = fc.string({
	unit: fc.oneof(
		fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
		fc.constantFrom(
			'\u000b',
			'\r',
			'\n',
			'\r\n',
			';',
			',',
			'\\',
			':',
			'\u0000',
			'\ud800',
			']]>',
			'<',
			'&',
			'"',
			'é',
			'😀'
		)
	),
	maxLength: 120
});

const event = (summary: string, i: number): CalendarEvent => ({
	uid: `bijeenkomst-${i}@wijkkaart.test`,
	sequence: 0,
	start: new Date(Date.UTC(2027, 0, 1, 18, i)),
	end: new Date(Date.UTC(2027, 0, 1, 20, i)),
	modified: new Date(Date.UTC(2026, 11, 1)),
	created: new Date(Date.UTC(2026, 11, 1)),
	summary,
	description: summary,
	location: summary || null,
	geo: { lat: 52.09, lon: 5.12 },
	url: `https://wijkkaart.test/item/${i}`,
	cancelled: false,
	categories: [summary]
});

/** RFC 5545 TEXT the way a reader unescapes it. */
const unescape = (v: string) =>
	v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));
// eslint-disable-next-line no-control-regex
const allowed = (s: string) =>
	s
		.replace(/\r\n?/g, '\n')
		.replace(
			/[\x00-\x08\x0B-\x1F\x7F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
			''
		);

describe('every text field is safe in iCal and Atom', () => {
	it('iCal: any name or text stays inside its own property, in lines of at most 75 octets', () => {
		fc.assert(
			fc.property(anyText, anyText, (name, text) => {
				const ics = calendar({ name, product: 'test', events: [event(text, 1)] });
				// Only CRLF ends a line: a bare CR or LF from a text would start one in lenient readers.
				expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
				const physical = ics.split('\r\n').slice(0, -1);
				for (const l of physical)
					expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
				const lines = ics.replace(/\r\n /g, '').split('\r\n').slice(0, -1);
				// Every logical line is NAME[;params]:value; nothing typed can start a property of its own.
				const names = lines.map((l) => /^([A-Z-]+)[;:]/.exec(l)?.[1]);
				expect(names.every(Boolean)).toBe(true);
				expect(names.filter((n) => n === 'X-WR-CALNAME' || n === 'SUMMARY')).toHaveLength(2);
				const value = (prop: string) =>
					unescape(lines.find((l) => l.startsWith(`${prop}:`))!.slice(prop.length + 1));
				expect(value('X-WR-CALNAME')).toBe(allowed(name));
				expect(value('SUMMARY')).toBe(allowed(text));
			}),
			{ numRuns: 300 }
		);
	});

	it('python icalendar and feedparser read a generated corpus back, feedparser without bozo', () => {
		const texts = fc.sample(anyText, { numRuns: 150, seed: 17 });
		const ics = calendar({ name: texts[0], product: 'test', events: texts.map(event) });
		const cal = readCalendars({ c: ics }).c;
		expect(cal.events).toHaveLength(texts.length);
		expect(cal.events.map((e) => e.summary)).toEqual(texts.map(allowed));
		const entries: FeedEntry[] = texts.map((t, i) => ({
			id: `nieuw-${i}`,
			itemId: i,
			kind: 'nieuw',
			title: t,
			text: t,
			date: new Date(Date.UTC(2026, 0, 1, 0, i)),
			startsAt: null,
			endsAt: null,
			layer: 'meldingen',
			location: null,
			cursor: ''
		}));
		const xml = atomFeed(
			{ kind: 'theme', id: 'x', name: texts[1] },
			{ entries, more: false },
			'https://wijkkaart.test',
			new URL('https://wijkkaart.test/feeds/thema/x.atom')
		);
		const feed = readFeeds({ f: xml }).f;
		expect(feed.bozoException).toBeNull();
		expect(feed.bozo).toBe(0);
		expect(feed.entries).toHaveLength(texts.length);
	});
});

describe('feed type by Accept', () => {
	it('gives a browser navigating to the feed XML it applies the stylesheet to, and every reader Atom', () => {
		const chromium =
			'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
		const firefox = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
		const feedparser =
			'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1';
		for (const a of [chromium, firefox]) expect(feedType(a)).toBe('application/xml; charset=utf-8');
		for (const a of [
			feedparser,
			null,
			'*/*',
			'application/atom+xml',
			'application/atom+xml, text/html;q=0.5'
		])
			expect(feedType(a)).toBe('application/atom+xml; charset=utf-8');
	});
});
