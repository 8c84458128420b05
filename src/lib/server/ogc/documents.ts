import type { Feature, Geometry } from 'geojson';
import { extent, type Collection, type FeaturePage } from './collections.ts';
import { contentCrs, CRS84, SUPPORTED_CRS, type Crs } from './crs.ts';
import { message, type Lang } from './messages.ts';
import { encodeKey, type FeatureParams } from './params.ts';

/** The JSON documents of /ogc (OGC API Features Part 1, 2 and 3), built from absolute links. */

export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';
export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';

export const CONFORMANCE = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
	'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters'
];

export interface Link {
	href: string;
	rel: string;
	type?: string;
	title?: string;
}

const link = (href: string, rel: string, type?: string, title?: string): Link => ({
	href,
	rel,
	...(type ? { type } : {}),
	...(title ? { title } : {})
});

export function landingPage(base: string, lang: Lang) {
	return {
		title: message(lang, 'title'),
		description: message(lang, 'description'),
		links: [
			link(`${base}?f=json`, 'self', JSON_TYPE, message(lang, 'title')),
			link(`${base}?f=html`, 'alternate', 'text/html', message(lang, 'title')),
			link(`${base}/api`, 'service-desc', OPENAPI_TYPE, message(lang, 'apiDefinition')),
			link(`${base}/api?f=html`, 'service-doc', 'text/html', message(lang, 'apiDefinition')),
			link(`${base}/conformance`, 'conformance', JSON_TYPE, message(lang, 'conformance')),
			link(`${base}/collections`, 'data', JSON_TYPE, message(lang, 'collections'))
		]
	};
}

export function conformance() {
	return { conformsTo: CONFORMANCE };
}

export async function collectionDocument(
	base: string,
	c: Collection,
	box: [number, number, number, number] | null
) {
	const href = `${base}/collections/${encodeURIComponent(c.id)}`;
	return {
		id: c.id,
		title: c.title,
		description: c.description,
		itemType: 'feature',
		links: [
			link(href, 'self', JSON_TYPE, c.title),
			link(`${href}?f=html`, 'alternate', 'text/html', c.title),
			link(`${href}/items`, 'items', GEOJSON, c.title),
			link(`${href}/items?f=html`, 'items', 'text/html', c.title),
			link(
				`${href}/queryables`,
				'http://www.opengis.net/def/rel/ogc/1.0/queryables',
				'application/schema+json',
				'Queryables'
			)
		],
		...(box ? { extent: { spatial: { bbox: [box], crs: CRS84.uri } } } : {}),
		crs: SUPPORTED_CRS.map((x) => x.uri),
		storageCrs: CRS84.uri
	};
}

export async function collectionsDocument(
	base: string,
	list: Collection[],
	db: Parameters<typeof extent>[0],
	lang: Lang
) {
	const box = await extent(db);
	return {
		links: [
			link(`${base}/collections`, 'self', JSON_TYPE, message(lang, 'collections')),
			link(`${base}/collections?f=html`, 'alternate', 'text/html', message(lang, 'collections'))
		],
		collections: await Promise.all(list.map((c) => collectionDocument(base, c, box))),
		crs: SUPPORTED_CRS.map((x) => x.uri)
	};
}

/** JSON Schema of what `?name=value` filters (Part 3 queryables). */
export function queryablesDocument(base: string, c: Collection) {
	return {
		$schema: 'https://json-schema.org/draft/2020-12/schema',
		$id: `${base}/collections/${encodeURIComponent(c.id)}/queryables`,
		type: 'object',
		title: c.title,
		properties: c.queryables,
		additionalProperties: false
	};
}

/** The query string of a page link: the request's own parameters with another position. */
function pageHref(url: URL, set: Record<string, string | null>): string {
	const next = new URL(url);
	for (const [k, v] of Object.entries(set)) {
		if (v === null) next.searchParams.delete(k);
		else next.searchParams.set(k, v);
	}
	return next.toString();
}

export function itemsDocument(url: URL, page: FeaturePage, f: FeatureParams, lang: Lang) {
	const self = pageHref(url, { f: null });
	const links: Link[] = [
		link(self, 'self', GEOJSON, message(lang, 'items')),
		link(pageHref(url, { f: 'html' }), 'alternate', 'text/html', message(lang, 'items')),
		link(url.toString().replace(/\/items(\?.*)?$/, ''), 'collection', JSON_TYPE)
	];
	if (page.next !== null)
		links.push(
			link(pageHref(url, { f: null, before: null, cursor: encodeKey(page.next) }), 'next', GEOJSON)
		);
	if (page.prev !== null)
		links.push(
			link(pageHref(url, { f: null, cursor: null, before: encodeKey(page.prev) }), 'prev', GEOJSON)
		);
	return {
		type: 'FeatureCollection',
		timeStamp: new Date().toISOString(),
		numberMatched: page.numberMatched,
		numberReturned: page.features.length,
		links,
		features: page.features
	};
}

export function featureDocument(url: URL, feature: Feature<Geometry | null>, lang: Lang) {
	const collection = url.toString().replace(/\/items\/[^/?]*(\?.*)?$/, '');
	return {
		...feature,
		links: [
			link(pageHref(url, { f: null }), 'self', GEOJSON),
			link(pageHref(url, { f: 'html' }), 'alternate', 'text/html'),
			link(collection, 'collection', JSON_TYPE, message(lang, 'collections'))
		]
	};
}

export function crsHeaders(crs: Crs): Record<string, string> {
	return { 'content-crs': contentCrs(crs) };
}
