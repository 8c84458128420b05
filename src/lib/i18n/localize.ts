/**
 * The one place a text is chosen by language: labels that carry both languages ({nl, en}) and
 * server messages by code, whose texts live in the <feature>.nl.json / .en.json files beside this.
 * Pure (no svelte-i18n), so domain code, the server and components all use it.
 */
import errorsNl from './errors.nl.json' with { type: 'json' };
import errorsEn from './errors.en.json' with { type: 'json' };

export type Lang = 'nl' | 'en';
export type MessageParams = Record<string, string | number>;
/** A server message before it has a language: its code and the values it names. */
export interface Message {
	code: string;
	params?: MessageParams;
}

/** {nl, en} → the text in `lang` (Dutch first: English only when asked for). */
export function localize<T>(texts: { nl: T; en: T }, lang: Lang | string | null | undefined): T {
	return lang === 'en' ? texts.en : texts.nl;
}

const catalogs: Record<Lang, Record<string, string>> = {
	nl: errorsNl,
	en: errorsEn
};

/**
 * The text of a message in `lang`. An unknown code is a programming error, not a resident's:
 * it throws, and the key-parity unit test keeps the catalogues complete.
 */
export function messageText(lang: Lang, code: string, params: MessageParams = {}): string {
	const template = catalogs[lang === 'en' ? 'en' : 'nl'][code] ?? catalogs.nl[code];
	if (template === undefined) throw new Error(`no message text for code "${code}"`);
	return template.replace(/\{(\w+)\}/g, (m, name: string) =>
		name in params ? String(params[name]) : m
	);
}

export function hasMessage(code: string): boolean {
	return code in catalogs.nl;
}
