/**
 * Wall-clock times in the Netherlands. Import files and meeting times say "19:30" without a
 * zone; they mean Europe/Amsterdam, summer or winter time.
 */
const fmt = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/Amsterdam',
	hourCycle: 'h23',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit'
});

const STAMP = new Intl.DateTimeFormat('nl-NL', {
	timeZone: 'Europe/Amsterdam',
	dateStyle: 'short',
	timeStyle: 'short'
});

/** "23-11-2026, 19:30": when something was changed, as a clock in the Netherlands shows it. */
export function dutchStamp(at: Date | string): string {
	return STAMP.format(at instanceof Date ? at : new Date(at));
}

function offsetMs(t: number): number {
	const p = Object.fromEntries(
		fmt.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)])
	);
	return (
		Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000
	);
}

/** The instant at which the clocks in Amsterdam show this date and time. */
export function amsterdamTime(y: number, month: number, d: number, h = 0, mi = 0, s = 0): Date {
	const wall = Date.UTC(y, month - 1, d, h, mi, s);
	let t = wall - offsetMs(wall);
	// Near a DST switch the first guess used the other offset; one correction settles it.
	t = wall - offsetMs(t);
	return new Date(t);
}

/**
 * Reads the date formats of Dutch spreadsheets and exports: ISO 8601 (with or without zone or
 * time), DD-MM-YYYY and DD/MM/YYYY, optionally with HH:MM[:SS]. Returns null when it is none.
 */
export function parseLocalDateTime(text: string): Date | null {
	const t = text.trim();
	if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
		const d = new Date(t);
		return Number.isNaN(d.getTime()) ? null : d;
	}
	let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
	let parts: number[] | null = m
		? [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0))
		: null;
	if (!parts) {
		m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
		if (m) parts = [m[3], m[2], m[1], m[4], m[5], m[6]].map((x) => Number(x ?? 0));
	}
	if (!parts) return null;
	const [y, mo, d, h, mi, s] = parts;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
	const date = amsterdamTime(y, mo, d, h, mi, s);
	// 31-02 would roll over to March: refuse it.
	return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d ? date : null;
}

/**
 * A date formatter for the portal's pages: always the clock of the Netherlands, whatever zone
 * the server (during SSR) or the visitor's browser is in.
 */
export function dutchDateFormat(
	lang: string,
	options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>
): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
		...options,
		timeZone: 'Europe/Amsterdam'
	});
}
