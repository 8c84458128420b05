import { addMessages, init, locale } from 'svelte-i18n';
import nl from './nl.json';
import en from './en.json';

export { _ } from 'svelte-i18n';

addMessages('nl', nl);
addMessages('en', en);
init({ fallbackLocale: 'nl', initialLocale: 'nl' });

/**
 * Called synchronously at the top of the root layout: SSR renders synchronously, so requests
 * in different languages cannot interleave between setting and rendering.
 */
export function useLang(lang: 'nl' | 'en'): void {
	locale.set(lang);
}
