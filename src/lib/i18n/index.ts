import { addMessages, init, locale } from 'svelte-i18n';
import nl from './nl.json';
import en from './en.json';

export { _ } from 'svelte-i18n';

addMessages('nl', nl);
addMessages('en', en);
// Each feature keeps its texts in <feature>.nl.json / <feature>.en.json beside these.
for (const [file, messages] of Object.entries(
	import.meta.glob<Record<string, unknown>>('./*.{nl,en}.json', { eager: true, import: 'default' })
)) {
	addMessages(
		file.endsWith('.en.json') ? 'en' : 'nl',
		messages as Parameters<typeof addMessages>[1]
	);
}
init({ fallbackLocale: 'nl', initialLocale: 'nl' });

/**
 * Called synchronously at the top of the root layout: SSR renders synchronously, so requests
 * in different languages cannot interleave between setting and rendering.
 */
export function useLang(lang: 'nl' | 'en'): void {
	locale.set(lang);
}
