import type { Action } from '$lib/domain/agenda';

/** Shared wording of the ward page and the meeting mode. */
export function euros(n: number | null, lang: 'nl' | 'en'): string {
	return n === null
		? '—'
		: new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
				style: 'currency',
				currency: 'EUR',
				maximumFractionDigits: 0
			}).format(n);
}

export function day(d: string | null, lang: 'nl' | 'en'): string {
	if (!d) return '—';
	return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(`${d.slice(0, 10)}T00:00:00Z`));
}

export function when(iso: string, lang: 'nl' | 'en'): string {
	return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Europe/Amsterdam'
	}).format(new Date(iso));
}

export function span(a: string | null, b: string | null, lang: 'nl' | 'en'): string {
	return a || b ? `${day(a, lang)} – ${day(b, lang)}` : '—';
}

export function latest(a: Action): string | null {
	return a.updates?.length ? a.updates[a.updates.length - 1].text : null;
}
