/**
 * The one place a text is chosen by language: labels that carry both languages ({nl, en}) and
 * server messages by code, whose texts live in the <feature>.nl.json / .en.json files beside this.
 * Pure (no svelte-i18n), so domain code, the server and components all use it.
 */
import errorsNl from './errors.nl.json' with { type: 'json' };
import errorsEn from './errors.en.json' with { type: 'json' };
import dataErrorsNl from './errors-data.nl.json' with { type: 'json' };
import dataErrorsEn from './errors-data.en.json' with { type: 'json' };

export type Lang = 'nl' | 'en';
/**
 * A param may itself be a message (e.g. the reason inside "feature 3: …") or a text that comes
 * in both languages from elsewhere (a library's own wording), shown in the same language.
 */
export type MessageParams = Record<string, string | number | Message | { nl: string; en: string }>;
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
	// errors-data: imports, backups, geometry and themes (kept apart to keep each file small).
	nl: { ...errorsNl, ...dataErrorsNl },
	en: { ...errorsEn, ...dataErrorsEn }
};

/**
 * The text of a message in `lang`. An unknown code is a programming error, not a resident's:
 * it throws, and the key-parity unit test keeps the catalogues complete.
 */
export function messageText(lang: Lang, code: string, params: MessageParams = {}): string {
	const template = catalogs[lang === 'en' ? 'en' : 'nl'][code] ?? catalogs.nl[code];
	if (template === undefined) throw new Error(`no message text for code "${code}"`);
	return template.replace(/\{(\w+)\}/g, (m, name: string) => {
		if (!(name in params)) return m;
		const v = params[name];
		if (typeof v !== 'object') return String(v);
		return 'code' in v ? messageText(lang, v.code, v.params) : localize(v, lang);
	});
}

export function hasMessage(code: string): boolean {
	return code in catalogs.nl;
}
