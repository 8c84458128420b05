/**
 * The Open311 GeoReport v2 paths for /api/openapi.json. Schemas are inline (the spec's fields);
 * every example is validated against its schema in tests/unit/openapi.test.ts.
 */
const nullable = (type: string) => ({ type, nullable: true });
const errorList = {
	type: 'array',
	items: {
		type: 'object',
		required: ['code', 'description'],
		properties: { code: { type: 'integer' }, description: { type: 'string' } }
	}
};
const REQUEST = {
	type: 'object',
	required: ['service_request_id', 'status', 'requested_datetime', 'lat', 'long'],
	properties: {
		service_request_id: { type: 'string' },
		status: { type: 'string', enum: ['open', 'closed'] },
		status_notes: nullable('string'),
		service_name: nullable('string'),
		service_code: nullable('string'),
		description: { type: 'string' },
		agency_responsible: nullable('string'),
		service_notice: nullable('string'),
		requested_datetime: { type: 'string', format: 'date-time' },
		updated_datetime: { type: 'string', format: 'date-time' },
		expected_datetime: { type: 'string', format: 'date-time', nullable: true },
		address: nullable('string'),
		address_id: nullable('string'),
		zipcode: nullable('string'),
		lat: { type: 'number' },
		long: { type: 'number' },
		media_url: nullable('string')
	}
};
const REQUEST_EXAMPLE = {
	service_request_id: '1042',
	status: 'open',
	status_notes: 'We kijken ernaar',
	service_name: 'Straatverlichting kapot',
	service_code: 'straatverlichting',
	description: 'Lantaarnpaal brandt niet',
	agency_responsible: null,
	service_notice: null,
	requested_datetime: '2026-11-30T09:12:00.000Z',
	updated_datetime: '2026-12-01T10:00:00.000Z',
	expected_datetime: '2026-12-05T09:12:00.000Z',
	address: null,
	address_id: null,
	zipcode: null,
	lat: 52.0907,
	long: 5.1214,
	media_url: null
};
const both = (schema: unknown, example: unknown) => ({
	'application/json': { schema, example },
	'text/xml': { schema: { type: 'string' } }
});
const fileParam = (description: string) => ({
	name: 'file',
	in: 'path',
	required: true,
	description,
	schema: { type: 'string' }
});
const query = (name: string, description: string) => ({
	name,
	in: 'query',
	required: false,
	description,
	schema: { type: 'string' }
});
const refusal = (description: string, code: number, text: string) => ({
	description,
	content: both(errorList, [{ code, description: text }])
});

export const open311Paths = {
	'/open311/v2/{file}': {
		get: {
			summary:
				'Open311 GeoReport v2: discovery.json|xml, services.json|xml, requests.json|xml (public meldingen; see docs/api.md)',
			parameters: [
				fileParam('discovery.json, services.json, requests.json (or .xml)'),
				query('service_request_id', 'comma-separated ids; overrides the other filters'),
				query('service_code', 'comma-separated category ids'),
				query('start_date', 'date or ISO 8601 time with zone (default: 90 days ago)'),
				query('end_date', 'date (inclusive) or ISO 8601 time with zone'),
				query('status', 'open, closed or open,closed'),
				query('lat', 'WGS84, with long'),
				query('long', 'WGS84, with lat'),
				query('radius', 'metres around lat/long, 1–5000 (default 1000)')
			],
			responses: {
				200: {
					description: 'The document; requests as a list of at most 1,000 with X-Total-Count',
					content: both(
						{ oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
						[REQUEST_EXAMPLE]
					)
				},
				400: refusal(
					'Bad argument',
					400,
					'status moet open of closed zijn, of beide gescheiden door een komma (kreeg "dicht").'
				),
				404: refusal(
					'Unknown document',
					404,
					'Dit adres bestaat niet in Open311 GeoReport v2: /open311/v2/x.json. Begin bij /open311/v2/discovery.json.'
				)
			}
		},
		post: {
			summary:
				'Open311 GeoReport v2 POST requests.json|xml: a melding through the same path as /melden (moderated before it is public)',
			parameters: [fileParam('requests.json or requests.xml')],
			requestBody: {
				required: true,
				content: {
					'application/x-www-form-urlencoded': {
						schema: {
							type: 'object',
							required: ['service_code', 'description'],
							properties: {
								service_code: { type: 'string' },
								description: { type: 'string' },
								lat: { type: 'number' },
								long: { type: 'number' },
								address_string: { type: 'string' },
								email: { type: 'string' },
								api_key: { type: 'string' },
								jurisdiction_id: { type: 'string' }
							}
						}
					}
				}
			},
			responses: {
				201: {
					description: 'Received; public after moderation',
					content: both(
						{
							type: 'array',
							items: {
								type: 'object',
								required: ['service_request_id', 'service_notice'],
								properties: {
									service_request_id: { type: 'string' },
									service_notice: { type: 'string' },
									account_id: nullable('string'),
									tracking_url: { type: 'string' }
								}
							}
						},
						[
							{
								service_request_id: '1043',
								service_notice:
									'Uw melding is ontvangen onder nummer M-2026-001043. Medewerkers beoordelen haar eerst; daarna staat zij op de kaart.',
								account_id: null,
								tracking_url: 'https://wijkkaart.example/volg/…'
							}
						]
					)
				},
				400: refusal('A field is not right', 400, 'description: Beschrijf wat er aan de hand is.'),
				415: refusal(
					'Not a form',
					415,
					'Stuur de melding als formulier (application/x-www-form-urlencoded of multipart/form-data), zoals Open311 GeoReport v2 voorschrijft.'
				),
				429: refusal(
					'Too many submissions from this client',
					429,
					'form: U heeft in korte tijd te veel meldingen of voorstellen verstuurd. Probeer het over een uur opnieuw.'
				)
			}
		}
	},
	'/open311/v2/services/{file}': {
		get: {
			summary: 'Open311 service definition (<service_code>.json|xml)',
			parameters: [fileParam('<service_code>.json or .xml')],
			responses: {
				200: {
					description: 'The definition (no attributes)',
					content: both(
						{
							type: 'object',
							required: ['service_code', 'attributes'],
							properties: {
								service_code: { type: 'string' },
								attributes: { type: 'array', items: { type: 'object' } }
							}
						},
						{ service_code: 'afval', attributes: [] }
					)
				},
				404: refusal(
					'Unknown service',
					404,
					'Dienst "x" bestaat niet; zie services.json voor de diensten.'
				)
			}
		}
	},
	'/open311/v2/requests/{file}': {
		get: {
			summary: 'One Open311 request (<id>.json|xml), a list of one',
			parameters: [fileParam('<service_request_id>.json or .xml')],
			responses: {
				200: {
					description: 'The request',
					content: both({ type: 'array', items: REQUEST }, [REQUEST_EXAMPLE])
				},
				404: refusal(
					'Not there or not public',
					404,
					'Melding 7 bestaat niet of is (nog) niet openbaar.'
				)
			}
		}
	}
};
