import { LAYERS } from '../../domain/layers.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../domain/filters.ts';
import { CONFORMANCE, GEOJSON, JSON_TYPE } from './documents.ts';
import { SUPPORTED_CRS, CRS84, RD_NEW } from './crs.ts';
import { OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT } from './params.ts';
import { open311Paths } from '../open311/openapi.ts';

/**
 * The OpenAPI 3.0 descriptions of /ogc (served at /ogc/api, paths relative to /ogc as GDAL
 * reads them) and of /api and the tiles (served at /api/openapi.json). One set of schemas;
 * every response example here is validated against its schema in tests/integration/openapi.test.ts.
 */

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (s: Schema): Schema => ({ ...s, nullable: true });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };

const POINT_EXAMPLE = { type: 'Point', coordinates: [5.1214, 52.0907] };

const GEOMETRY: Schema = {
	type: 'object',
	required: ['type', 'coordinates'],
	properties: {
		type: {
			type: 'string',
			enum: ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon']
		},
		coordinates: { type: 'array', items: {} }
	}
};

const schemas: Record<string, Schema> = {
	Error: {
		type: 'object',
		required: ['error'],
		description:
			'Every error of /api and /ogc: a Dutch (or, with Accept-Language: en, English) message naming the parameter.',
		properties: {
			error: str,
			code: str,
			description: str,
			fields: { type: 'object', additionalProperties: str }
		}
	},
	Link: {
		type: 'object',
		required: ['href', 'rel'],
		properties: { href: str, rel: str, type: str, title: str }
	},
	Geometry: GEOMETRY,
	// OpenAPI 3.0 cannot put nullable beside a $ref: a null geometry (an action without a place) has its own schema.
	GeometryOrNull: { ...GEOMETRY, nullable: true },
	ItemProperties: {
		type: 'object',
		required: ['id', 'layer', 'title', 'theme', 'status', 'createdAt', 'date'],
		properties: {
			id: int,
			layer: { type: 'string', enum: [...LAYERS] },
			title: str,
			theme: str,
			themes: { type: 'array', items: str },
			status: str,
			category: nullable(str),
			subcategory: nullable(str),
			areas: { type: 'object', additionalProperties: str, description: 'area level → code' },
			createdAt: { type: 'string', format: 'date-time' },
			updatedAt: { type: 'string', format: 'date-time' },
			startsAt: nullable({ type: 'string', format: 'date-time' }),
			endsAt: nullable({ type: 'string', format: 'date-time' }),
			date: { type: 'string', format: 'date-time' },
			dueAt: nullable({ type: 'string', format: 'date-time' }),
			overdue: { type: 'boolean' }
		}
	},
	Item: {
		type: 'object',
		required: ['type', 'id', 'geometry', 'properties'],
		properties: {
			type: { type: 'string', enum: ['Feature'] },
			id: int,
			geometry: ref('Geometry'),
			properties: ref('ItemProperties')
		}
	},
	ItemPage: {
		type: 'object',
		required: ['type', 'features', 'numberReturned', 'next'],
		properties: {
			type: { type: 'string', enum: ['FeatureCollection'] },
			features: { type: 'array', items: ref('Item') },
			numberReturned: int,
			numberMatched: int,
			numberMatchedBy: {
				type: 'object',
				description: 'with count=true: the matches per layer and per theme',
				properties: {
					layer: { type: 'object', additionalProperties: int },
					theme: { type: 'object', additionalProperties: int }
				}
			},
			next: nullable(str)
		}
	},
	ItemDetail: {
		type: 'object',
		required: ['type', 'id', 'geometry', 'properties'],
		properties: {
			type: { type: 'string', enum: ['Feature'] },
			id: int,
			geometry: ref('Geometry'),
			properties: {
				type: 'object',
				required: ['id', 'layer', 'title', 'description', 'timeline', 'areas'],
				properties: {
					id: int,
					layer: str,
					title: str,
					description: str,
					details: { type: 'object' },
					areas: {
						type: 'array',
						items: { type: 'object', properties: { level: str, code: str, name: str } }
					},
					timeline: {
						type: 'array',
						items: {
							type: 'object',
							properties: { at: str, from: nullable(str), to: nullable(str), text: str }
						}
					},
					links: { type: 'array', items: { type: 'object' } }
				}
			}
		}
	},
	Area: {
		type: 'object',
		required: ['type', 'geometry', 'properties'],
		properties: {
			type: { type: 'string', enum: ['Feature'] },
			id: str,
			geometry: ref('Geometry'),
			properties: {
				type: 'object',
				required: ['code', 'name', 'level'],
				properties: {
					code: str,
					name: str,
					level: str,
					parent: nullable(str),
					population: nullable(int),
					children: { type: 'array', items: str }
				}
			}
		}
	},
	Areas: {
		type: 'object',
		required: ['type', 'features'],
		properties: {
			type: { type: 'string', enum: ['FeatureCollection'] },
			features: { type: 'array', items: ref('Area') }
		}
	},
	AreaSummary: {
		type: 'object',
		required: ['area', 'total', 'counts', 'sensitive'],
		properties: {
			area: { type: 'object', properties: { level: str, code: str, name: str } },
			total: int,
			overdue: int,
			counts: {
				type: 'array',
				items: { type: 'object', properties: { layer: str, theme: str, status: str, count: int } }
			},
			sensitive: {
				type: 'array',
				items: {
					type: 'object',
					properties: { level: str, code: str, name: str, category: str, count: int }
				}
			}
		}
	},
	Themes: {
		type: 'object',
		required: ['themes', 'categories', 'layers'],
		properties: {
			themes: { type: 'array', items: { type: 'object' } },
			categories: { type: 'array', items: { type: 'object' } },
			layers: { type: 'array', items: { type: 'object' } }
		}
	},
	Health: {
		type: 'object',
		required: ['status', 'store'],
		properties: {
			status: { type: 'string', enum: ['ok', 'unavailable'] },
			store: { type: 'string', enum: ['pglite', 'postgres'] }
		}
	},
	TileJSON: {
		type: 'object',
		required: ['tilejson', 'tiles'],
		properties: {
			tilejson: { type: 'string', enum: ['3.0.0'] },
			name: str,
			description: str,
			attribution: str,
			license: str,
			tiles: { type: 'array', items: str, minItems: 1 },
			minzoom: int,
			maxzoom: int,
			bounds: { type: 'array', items: num, minItems: 4, maxItems: 4 },
			vector_layers: {
				type: 'array',
				items: {
					type: 'object',
					required: ['id', 'fields'],
					properties: { id: str, fields: { type: 'object', additionalProperties: str } }
				}
			}
		}
	},
	LandingPage: {
		type: 'object',
		required: ['links'],
		properties: { title: str, description: str, links: { type: 'array', items: ref('Link') } }
	},
	ConfClasses: {
		type: 'object',
		required: ['conformsTo'],
		properties: { conformsTo: { type: 'array', items: str } }
	},
	Collection: {
		type: 'object',
		required: ['id', 'links'],
		properties: {
			id: str,
			title: str,
			description: str,
			itemType: str,
			links: { type: 'array', items: ref('Link') },
			extent: {
				type: 'object',
				properties: {
					spatial: {
						type: 'object',
						properties: {
							bbox: {
								type: 'array',
								items: { type: 'array', items: num, minItems: 4, maxItems: 6 }
							},
							crs: str
						}
					}
				}
			},
			crs: { type: 'array', items: str },
			storageCrs: str
		}
	},
	Collections: {
		type: 'object',
		required: ['links', 'collections'],
		properties: {
			links: { type: 'array', items: ref('Link') },
			collections: { type: 'array', items: ref('Collection') },
			crs: { type: 'array', items: str }
		}
	},
	Queryables: {
		type: 'object',
		required: ['type', 'properties'],
		properties: {
			$schema: str,
			$id: str,
			type: str,
			title: str,
			properties: { type: 'object' },
			additionalProperties: { type: 'boolean' }
		}
	},
	OgcFeature: {
		type: 'object',
		required: ['type', 'geometry', 'properties'],
		properties: {
			type: { type: 'string', enum: ['Feature'] },
			id: { oneOf: [str, int] },
			geometry: ref('GeometryOrNull'),
			properties: nullable({ type: 'object' }),
			links: { type: 'array', items: ref('Link') }
		}
	},
	OgcFeatureCollection: {
		type: 'object',
		required: ['type', 'features', 'links', 'numberReturned'],
		properties: {
			type: { type: 'string', enum: ['FeatureCollection'] },
			features: { type: 'array', items: ref('OgcFeature') },
			links: { type: 'array', items: ref('Link') },
			timeStamp: { type: 'string', format: 'date-time' },
			numberMatched: { type: 'integer', minimum: 0 },
			numberReturned: { type: 'integer', minimum: 0 }
		}
	}
};

const ITEM_EXAMPLE = {
	type: 'Feature',
	id: 1234,
	geometry: POINT_EXAMPLE,
	properties: {
		id: 1234,
		layer: 'meldingen',
		title: 'Lantaarnpaal defect',
		theme: 'openbare-ruimte',
		themes: ['openbare-ruimte'],
		status: 'gemeld',
		category: 'verlichting',
		subcategory: null,
		areas: { wijk: '05', buurt: '05a' },
		createdAt: '2026-11-02T09:14:00.000Z',
		updatedAt: '2026-11-02T09:14:00.000Z',
		startsAt: null,
		endsAt: null,
		date: '2026-11-02T09:14:00.000Z',
		dueAt: '2026-11-09T09:14:00.000Z',
		overdue: false
	}
};

const link = {
	href: 'https://wijkkaart.example/ogc/collections/meldingen',
	rel: 'self',
	type: JSON_TYPE
};
const COLLECTION_EXAMPLE = {
	id: 'meldingen',
	title: 'Meldingen',
	description: 'Openbare meldingen',
	itemType: 'feature',
	links: [
		link,
		{
			href: 'https://wijkkaart.example/ogc/collections/meldingen/items',
			rel: 'items',
			type: GEOJSON
		}
	],
	extent: { spatial: { bbox: [[4.97, 52.03, 5.19, 52.14]], crs: CRS84.uri } },
	crs: SUPPORTED_CRS.map((c) => c.uri),
	storageCrs: CRS84.uri
};

const err = (description: string, example: string) => ({
	description,
	content: { [JSON_TYPE]: { schema: ref('Error'), example: { error: example } } }
});
const ok = (description: string, type: string, schema: string, example?: unknown) => ({
	description,
	content: { [type]: { schema: ref(schema), ...(example !== undefined ? { example } : {}) } }
});
const q = (name: string, description: string, schema: Schema = str, extra: Schema = {}) => ({
	name,
	in: 'query',
	required: false,
	description,
	schema,
	...extra
});
const path = (name: string, description: string) => ({
	name,
	in: 'path',
	required: true,
	description,
	schema: str
});
const f = q('f', 'json or html (default: by Accept)', { type: 'string', enum: ['json', 'html'] });
const crsEnum = { type: 'string', enum: SUPPORTED_CRS.map((c) => c.uri), default: CRS84.uri };

const ogcPaths = {
	'/': {
		get: {
			summary: 'Landing page',
			parameters: [f],
			responses: {
				200: ok(
					'Links to the API definition, conformance and collections',
					JSON_TYPE,
					'LandingPage',
					{
						title: 'Wijkkaart',
						links: [
							{ href: 'https://wijkkaart.example/ogc/collections', rel: 'data', type: JSON_TYPE }
						]
					}
				),
				400: err('Unknown parameter', 'onbekende parameter "x"; toegestaan: f')
			}
		}
	},
	'/conformance': {
		get: {
			summary: 'Conformance classes',
			parameters: [f],
			responses: {
				200: ok('Conformance classes', JSON_TYPE, 'ConfClasses', { conformsTo: CONFORMANCE })
			}
		}
	},
	'/api': {
		get: {
			summary: 'This OpenAPI document',
			responses: {
				200: {
					description: 'OpenAPI 3.0',
					content: {
						'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } }
					}
				}
			}
		}
	},
	'/collections': {
		get: {
			summary: 'The collections',
			parameters: [f],
			responses: {
				200: ok(
					'Collections: one per layer, per area level, and the wijkagenda actions',
					JSON_TYPE,
					'Collections',
					{ links: [link], collections: [COLLECTION_EXAMPLE], crs: SUPPORTED_CRS.map((c) => c.uri) }
				)
			}
		}
	},
	'/collections/{collectionId}': {
		get: {
			summary: 'One collection',
			parameters: [
				path(
					'collectionId',
					'meldingen, initiatieven, projecten, bijeenkomsten, gebied-<level>, wijkagenda-acties'
				),
				f
			],
			responses: {
				200: ok('The collection', JSON_TYPE, 'Collection', COLLECTION_EXAMPLE),
				404: err('No such collection', 'collectie "x" bestaat niet; zie /ogc/collections')
			}
		}
	},
	'/collections/{collectionId}/queryables': {
		get: {
			summary: 'Queryable properties (theme, status; parent for areas; wijk for actions)',
			parameters: [path('collectionId', 'collection'), f],
			responses: {
				200: ok('JSON Schema', 'application/schema+json', 'Queryables', {
					type: 'object',
					properties: { status: { type: 'string', enum: ['gemeld'] } }
				})
			}
		}
	},
	'/collections/{collectionId}/items': {
		get: {
			summary: 'Features of a collection',
			parameters: [
				path('collectionId', 'collection'),
				q(
					'limit',
					`1–${OGC_MAX_LIMIT} (default ${OGC_DEFAULT_LIMIT}; larger values are reduced to ${OGC_MAX_LIMIT})`,
					{ type: 'integer', minimum: 1, default: OGC_DEFAULT_LIMIT }
				),
				q(
					'bbox',
					'minx,miny,maxx,maxy (or 6 numbers) in bbox-crs',
					{ type: 'array', items: num, minItems: 4, maxItems: 6 },
					{ style: 'form', explode: false }
				),
				q('bbox-crs', 'CRS of bbox', crsEnum),
				q(
					'datetime',
					'RFC 3339 instant or interval (start/end, .. for open): the meeting start or creation date; the planning of actions'
				),
				q('crs', 'CRS of the answer (Content-Crs header)', crsEnum),
				q('theme', 'theme id(s), comma-separated (items and actions)'),
				q('status', 'status id(s), comma-separated'),
				q('parent', 'parent area code (area collections)'),
				q('wijk', 'wijk code (wijkagenda-acties)'),
				q('cursor', 'position: from the next link'),
				q('before', 'position: from the prev link'),
				f
			],
			responses: {
				200: ok(
					'A page of features with numberMatched and next/prev links',
					GEOJSON,
					'OgcFeatureCollection',
					{
						type: 'FeatureCollection',
						timeStamp: '2026-11-30T12:00:00.000Z',
						numberMatched: 1,
						numberReturned: 1,
						links: [
							{
								href: 'https://wijkkaart.example/ogc/collections/meldingen/items',
								rel: 'self',
								type: GEOJSON
							}
						],
						features: [ITEM_EXAMPLE]
					}
				),
				400: err(
					'Bad or unknown parameter, or an unsupported CRS',
					`coördinatenstelsel "EPSG:3857" (parameter crs) wordt niet ondersteund; wel: ${CRS84.uri}, ${RD_NEW.uri}`
				),
				404: err('No such collection', 'collectie "x" bestaat niet; zie /ogc/collections')
			}
		}
	},
	'/collections/{collectionId}/items/{featureId}': {
		get: {
			summary: 'One feature',
			parameters: [
				path('collectionId', 'collection'),
				path('featureId', 'item id, area code or action id'),
				q('crs', 'CRS of the answer', crsEnum),
				f
			],
			responses: {
				200: ok('The feature', GEOJSON, 'OgcFeature', ITEM_EXAMPLE),
				404: err(
					'No such (public) feature',
					'object "9" bestaat niet in collectie "meldingen" (of is niet openbaar)'
				)
			}
		}
	}
};

const filters = [
	q('layer', `one or more of ${LAYERS.join(', ')} (comma-separated or repeated)`),
	q('theme', 'theme id(s)'),
	q('status', 'status id(s)'),
	q('area', 'area code at any level'),
	q('bbox', 'minLon,minLat,maxLon,maxLat (WGS84)'),
	q('from', 'YYYY-MM-DD or ISO 8601'),
	q('to', 'YYYY-MM-DD (inclusive) or ISO 8601'),
	q('q', 'text in title or description')
];
const loose = (summary: string, type = JSON_TYPE) => ({
	get: {
		summary,
		responses: {
			200: { description: summary, content: { [type]: { schema: { type: 'object' } } } },
			400: err('Bad parameter', 'ongeldige parameter')
		}
	}
});
const write = (summary: string) => ({
	summary,
	requestBody: { content: { [JSON_TYPE]: { schema: { type: 'object' } } } },
	responses: {
		200: { description: 'Saved', content: { [JSON_TYPE]: { schema: { type: 'object' } } } },
		400: err('Invalid', 'ongeldig'),
		401: err('Not signed in', 'U bent niet aangemeld. Meld u aan als medewerker.'),
		403: err('Not allowed', 'Geen toegang.')
	}
});

const apiPaths = {
	'/api/items': {
		get: {
			summary: 'Public items (GeoJSON or CSV)',
			parameters: [
				...filters,
				q('limit', `1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})`, {
					type: 'integer',
					minimum: 1,
					maximum: MAX_LIMIT
				}),
				q('cursor', 'the next value of the previous page'),
				q('count', 'true adds numberMatched and numberMatchedBy (per layer and per theme)', {
					type: 'boolean'
				}),
				q('near', 'lon,lat: nearest first, one page (next is null; not with cursor)'),
				q('format', 'geojson or csv', { type: 'string', enum: ['geojson', 'csv'] })
			],
			responses: {
				200: {
					description: 'A page of items',
					content: {
						[GEOJSON]: {
							schema: ref('ItemPage'),
							example: {
								type: 'FeatureCollection',
								numberReturned: 1,
								numberMatched: 1,
								next: null,
								features: [ITEM_EXAMPLE]
							}
						},
						'text/csv': { schema: str }
					}
				},
				400: err(
					'Bad parameter',
					'onbekende layer "x"; toegestaan: initiatieven, projecten, meldingen, bijeenkomsten'
				)
			}
		},
		post: write('Create an item (staff)')
	},
	'/api/items/{id}': {
		get: {
			summary: 'One public item with its timeline',
			parameters: [path('id', 'item id')],
			responses: {
				200: ok('The item', JSON_TYPE, 'ItemDetail'),
				404: err('Not found or not public', 'Item niet gevonden.')
			}
		},
		patch: write('Edit an item (staff)'),
		delete: write('Delete an item (staff)')
	},
	'/api/items/{id}/status': { post: write('Change the status with a public text (staff)') },
	'/api/items/{id}/restore': { post: write('Restore a deleted item (staff)') },
	'/api/areas': {
		get: {
			summary: 'Areas of a level',
			parameters: [q('level', 'area level (default: the coarsest)')],
			responses: {
				200: ok('Areas', GEOJSON, 'Areas', {
					type: 'FeatureCollection',
					features: [
						{
							type: 'Feature',
							id: 'wijk/05',
							geometry: { type: 'MultiPolygon', coordinates: [] },
							properties: {
								code: '05',
								name: 'Oost',
								level: 'wijk',
								parent: null,
								population: 12000
							}
						}
					]
				}),
				400: err('Unknown level', 'Onbekend niveau "x". Bekende niveaus: wijk, buurt.')
			}
		}
	},
	'/api/areas/{code}': {
		get: {
			summary: 'One area with its children',
			parameters: [path('code', 'area code'), q('level', 'level')],
			responses: {
				200: ok('The area', GEOJSON, 'Area'),
				404: err('Unknown area', 'Gebied niet gevonden.')
			}
		}
	},
	'/api/areas/{code}/summary': {
		get: {
			summary: 'Counts per layer, theme and status',
			parameters: [path('code', 'area code'), q('level', 'level')],
			responses: {
				200: ok('Counts', JSON_TYPE, 'AreaSummary', {
					area: { level: 'wijk', code: '05', name: 'Oost' },
					total: 3,
					overdue: 0,
					counts: [{ layer: 'meldingen', theme: 'openbare-ruimte', status: 'gemeld', count: 3 }],
					sensitive: []
				}),
				404: err('Unknown area', 'Gebied niet gevonden.')
			}
		}
	},
	'/api/themes': {
		get: {
			summary: 'Themes, melding categories, layers and statuses',
			responses: { 200: ok('The taxonomy', JSON_TYPE, 'Themes') }
		}
	},
	'/api/openapi.json': {
		get: {
			summary: 'This document',
			responses: {
				200: {
					description: 'OpenAPI 3.0',
					content: { [JSON_TYPE]: { schema: { type: 'object' } } }
				}
			}
		}
	},
	'/api/adressen': loose(
		'Search addresses, streets, postcodes, wijken and buurten (q, at least 2 characters)'
	),
	'/api/nabij': loose('Items near a point (lat, lon, r) or an address (q)', GEOJSON),
	'/api/meldingen': {
		post: {
			...write('Submit a melding (residents)'),
			requestBody: {
				content: {
					'multipart/form-data': { schema: { type: 'object' } },
					[JSON_TYPE]: { schema: { type: 'object' } }
				}
			}
		}
	},
	'/api/meldingen/dubbel': loose('Open meldingen of a category within 50 m (lat, lon, category)'),
	'/api/initiatieven': { post: write('Propose an initiative (residents)') },
	'/api/bijeenkomsten.ics': loose('Meetings as iCalendar', 'text/calendar'),
	'/api/wijken/{code}/{file}': {
		get: {
			summary: 'The wijkagenda of a wijk (agenda.json or agenda.csv)',
			parameters: [
				path('code', 'wijk code'),
				path('file', 'agenda.json or agenda.csv'),
				q('sep', '; for Excel with Dutch settings (decimal comma)', {
					type: 'string',
					enum: [',', ';']
				})
			],
			responses: {
				200: {
					description: 'The agenda',
					content: { [JSON_TYPE]: { schema: { type: 'object' } }, 'text/csv': { schema: str } }
				},
				404: err('No agenda', 'Wijk "x" heeft (nog) geen wijkagenda.')
			}
		}
	},
	...Object.fromEntries(
		[
			'afhandeltijd',
			'budget',
			'choropleth',
			'clusters',
			'koppelkansen',
			'overdue',
			'themes',
			'trend'
		].map((n) => [
			`/api/analyse/${n}`,
			loose(`Analysis: ${n} (the /api/items filters; format=json, csv or geojson)`)
		])
	),
	'/healthz': {
		get: {
			summary: 'Is the store answering',
			responses: {
				200: ok('Healthy', JSON_TYPE, 'Health', { status: 'ok', store: 'pglite' }),
				503: ok('The store does not answer', JSON_TYPE, 'Health', {
					status: 'unavailable',
					store: 'postgres'
				})
			}
		}
	},
	'/tiles/items.json': {
		get: {
			summary: 'TileJSON of the item tiles',
			responses: { 200: ok('TileJSON 3.0.0', JSON_TYPE, 'TileJSON') }
		}
	},
	'/tiles/areas.json': {
		get: {
			summary: 'TileJSON of the area archive',
			responses: {
				200: ok('TileJSON 3.0.0', JSON_TYPE, 'TileJSON'),
				404: err('Not built yet', 'De kaarttegels van de gebieden ontbreken.')
			}
		}
	},
	'/tiles/items/{z}/{x}/{y}.mvt': {
		get: {
			summary: 'Public items as a Mapbox vector tile (the /api/items filters)',
			parameters: [
				path('z', 'zoom'),
				path('x', 'column'),
				path('y', 'row'),
				...filters.filter((p) => p.name !== 'bbox')
			],
			responses: {
				200: {
					description: 'MVT',
					content: {
						'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } }
					}
				},
				204: { description: 'Empty tile' },
				400: err('Bad tile', 'geen geldige tegel 1/9/9')
			}
		}
	},
	'/tiles/areas.pmtiles': {
		get: {
			summary: 'The area tiles (PMTiles v3, HTTP Range)',
			responses: {
				200: {
					description: 'The archive',
					content: { 'application/vnd.pmtiles': { schema: { type: 'string', format: 'binary' } } }
				},
				206: { description: 'A byte range' }
			}
		}
	}
};

const info = (title: string, description: string) => ({
	title,
	version: '1.0.0',
	description,
	license: { name: 'EUPL-1.2' }
});

export function ogcOpenApi(base: string) {
	return {
		openapi: '3.0.3',
		info: info(
			'Wijkkaart – OGC API Features',
			'OGC API Features Part 1 (Core, GeoJSON, OpenAPI 3.0), Part 2 (CRS by reference: CRS84 and EPSG:28992) and Part 3 (queryables as query parameters).'
		),
		servers: [{ url: base }],
		paths: ogcPaths,
		components: { schemas }
	};
}

export function apiOpenApi(origin: string) {
	return {
		openapi: '3.0.3',
		info: info(
			'Wijkkaart API',
			'The JSON API, the tiles, Open311 GeoReport v2 and the OGC API Features of Wijkkaart. Public reads allow any origin (CORS); writes need a staff session from the same origin.'
		),
		servers: [{ url: origin }],
		paths: {
			...apiPaths,
			...open311Paths,
			...Object.fromEntries(
				Object.entries(ogcPaths).map(([p, v]) => [`/ogc${p === '/' ? '' : p}`, v])
			)
		},
		components: { schemas }
	};
}
