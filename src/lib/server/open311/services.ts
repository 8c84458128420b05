import type { Taxonomy } from '../../domain/themes.ts';
import { Open311Error, text, type Lang } from './http.ts';

/** GeoReport v2 `service`: one per melding category of the taxonomy in force, grouped by theme. */
export interface Service {
	service_code: string;
	service_name: string;
	description: string;
	metadata: boolean;
	type: 'realtime';
	keywords: string;
	group: string;
}

/**
 * The services are the melding categories residents choose from on /melden. A request's id
 * comes back at once (`realtime`), although it is public only after moderation. No category
 * asks for extra attributes, so `metadata` is false and every definition has none.
 */
export function services(tax: Taxonomy, lang: Lang): Service[] {
	return tax.categories.map((c) => {
		const theme = tax.themes.find((t) => t.id === c.theme);
		const description =
			text(lang, 'serviceDescription', { name: c[lang], theme: theme?.[lang] ?? c.theme }) +
			(c.slaDays ? text(lang, 'serviceSla', { days: c.slaDays }) : '') +
			(c.sensitive ? text(lang, 'serviceSensitive') : '');
		return {
			service_code: c.id,
			service_name: c[lang],
			description,
			metadata: false,
			type: 'realtime',
			keywords: c.subcategories.join(','),
			group: theme?.[lang] ?? c.theme
		};
	});
}

/** GeoReport v2 service definition: the code, and no attributes (see services()). */
export function serviceDefinition(
	tax: Taxonomy,
	code: string
): { service_code: string; attributes: never[] } {
	if (!tax.categories.some((c) => c.id === code))
		throw new Open311Error(404, 'unknownService', { code });
	return { service_code: code, attributes: [] };
}

/** When this GeoReport v2 interface last changed (discovery's `changeset`). */
const CHANGESET = '2026-12-05T00:00:00Z';
export const FORMATS = ['application/json', 'text/xml'];

/** The discovery document: one production endpoint, this portal, in JSON and XML. */
export function discovery(origin: string, gemeente: string | null, lang: Lang) {
	return {
		changeset: CHANGESET,
		contact: text(lang, 'discoveryContact', { gemeente: gemeente ?? 'de gemeente', origin }),
		key_service: text(lang, 'keyService'),
		endpoints: [
			{
				specification: 'http://wiki.open311.org/GeoReport_v2',
				url: `${origin}/open311/v2`,
				changeset: CHANGESET,
				type: 'production',
				formats: FORMATS
			}
		]
	};
}

/** The same document in the spec's XML shape (endpoints/endpoint, formats/format). */
export function discoveryXml(doc: ReturnType<typeof discovery>) {
	return {
		...doc,
		endpoints: { endpoint: doc.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) }
	};
}
