/**
 * The one iCalendar (RFC 5545) writer of the portal. Every property value, calendar-level ones
 * included, goes through `text()`, so a name or title from a resident, an import or an area
 * cannot end a line and start a property of its own.
 */

export interface CalendarEvent {
	uid: string;
	/** Bumped on every change of the meeting (RFC 5545 §3.8.7.4), so clients replace their copy. */
	sequence: number;
	start: Date;
	end: Date;
	/** When the meeting was last changed; also DTSTAMP, so an unchanged feed is byte-identical. */
	modified: Date;
	created: Date;
	summary: string;
	description: string;
	location: string | null;
	geo: { lat: number; lon: number } | null;
	url: string;
	cancelled: boolean;
	categories: string[];
}

export interface Calendar {
	name: string;
	description?: string;
	/** PRODID product part. */
	product: string;
	events: CalendarEvent[];
}

/**
 * Europe/Amsterdam as the EU has switched it since 1996. Times themselves are written in UTC;
 * the zone is there as the calendar's display zone, and it keeps a calendar without meetings
 * valid: RFC 5545 §3.4 requires at least one component in a VCALENDAR.
 */
const VTIMEZONE = [
	'BEGIN:VTIMEZONE',
	'TZID:Europe/Amsterdam',
	'BEGIN:DAYLIGHT',
	'TZOFFSETFROM:+0100',
	'TZOFFSETTO:+0200',
	'TZNAME:CEST',
	'DTSTART:19700329T020000',
	'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
	'END:DAYLIGHT',
	'BEGIN:STANDARD',
	'TZOFFSETFROM:+0200',
	'TZOFFSETTO:+0100',
	'TZNAME:CET',
	'DTSTART:19701025T030000',
	'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
	'END:STANDARD',
	'END:VTIMEZONE'
];

/**
 * A TEXT value (§3.3.11): backslash, comma, semicolon and newlines escaped; other control
 * characters, which TEXT does not allow, and lone surrogates removed.
 */
export function text(value: string): string {
	return (
		value
			.replace(/\r\n?/g, '\n')
			// eslint-disable-next-line no-control-regex
			.replace(
				/[\x00-\x08\x0B-\x1F\x7F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
				''
			)
			.replace(/[\\;,]/g, (c) => `\\${c}`)
			.replace(/\n/g, '\\n')
	);
}

/** A URI value: no escaping exists for it, so anything that could break the line goes. */
function uri(value: string): string {
	// eslint-disable-next-line no-control-regex
	return value.replace(/[\x00-\x20\x7F"]/g, (c) => encodeURIComponent(c));
}

/** UTC DATE-TIME, "20261123T183000Z". */
export function utc(d: Date): string {
	return d
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

const encoder = new TextEncoder();

/** Lines of at most 75 octets (§3.1), folded between characters, never inside one. */
function fold(line: string): string {
	if (encoder.encode(line).length <= 75) return line;
	const parts: string[] = [];
	let cur = '';
	let bytes = 0;
	for (const ch of line) {
		const n = encoder.encode(ch).length;
		// Continuation lines start with a space, which counts towards their 75.
		if (bytes + n > (parts.length ? 74 : 75)) {
			parts.push(cur);
			cur = '';
			bytes = 0;
		}
		cur += ch;
		bytes += n;
	}
	parts.push(cur);
	return parts.join('\r\n ');
}

function eventLines(e: CalendarEvent): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${text(e.uid)}`,
		`SEQUENCE:${Math.max(0, Math.floor(e.sequence))}`,
		`DTSTAMP:${utc(e.modified)}`,
		`CREATED:${utc(e.created)}`,
		`LAST-MODIFIED:${utc(e.modified)}`,
		`DTSTART:${utc(e.start)}`,
		`DTEND:${utc(e.end)}`,
		`SUMMARY:${text(e.summary)}`,
		`DESCRIPTION:${text(e.description)}`,
		`STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
		`URL:${uri(e.url)}`
	];
	if (e.location) lines.push(`LOCATION:${text(e.location)}`);
	if (e.geo && Number.isFinite(e.geo.lat) && Number.isFinite(e.geo.lon))
		lines.push(`GEO:${e.geo.lat.toFixed(6)};${e.geo.lon.toFixed(6)}`);
	const cats = e.categories.map(text).filter(Boolean);
	if (cats.length) lines.push(`CATEGORIES:${cats.join(',')}`);
	lines.push('END:VEVENT');
	return lines;
}

export function calendar(cal: Calendar): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:-//Wijkkaart//${text(cal.product)}//NL`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`NAME:${text(cal.name)}`,
		`X-WR-CALNAME:${text(cal.name)}`,
		...(cal.description ? [`X-WR-CALDESC:${text(cal.description)}`] : []),
		'X-WR-TIMEZONE:Europe/Amsterdam',
		'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
		'X-PUBLISHED-TTL:PT1H',
		...VTIMEZONE,
		...cal.events.flatMap(eventLines),
		'END:VCALENDAR'
	];
	return lines.map(fold).join('\r\n') + '\r\n';
}
