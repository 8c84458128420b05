import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as itemsGET } from '../../../src/routes/api/items/+server.ts';
import { GET as areasGET } from '../../../src/routes/api/areas/+server.ts';
import { GET as areaGET } from '../../../src/routes/api/areas/[code]/+server.ts';
import { GET as tileGET } from '../../../src/routes/tiles/items/[z]/[x]/[y].mvt/+server.ts';
import { syncTaxonomy } from '../../../src/lib/server/items/taxonomy.ts';
import { freshStore, storeHash, storeName, type TestStore } from '../../helpers/db.ts';
import { insertUtrechtAreas } from '../items-setup.ts';

type Handler = (event: never) => Promise<Response> | Response;

/**
 * Hostile query parameters on the public API, each with the answer it must get. A 4xx answer is
 * JSON with a Dutch `error`; a 200 on free text proves the text was searched for, not executed.
 */
interface Case {
	name: string;
	handler: Handler;
	path: string;
	params?: Record<string, string>;
	status: number;
	/** For 4xx: the Dutch error; for 200: how many items may come back. */
	expect: RegExp | { features: number };
}

const SQL = "' OR '1'='1'; DROP TABLE item; --";
const RTL = '\u202e10wijk';
const NUL = 'wijk\u0000';
const LONG = 'x'.repeat(10_000);
const COMBINING = 'e\u0301\u0302\u0303'.repeat(40);
const items = (qs: string, status: number, expect: Case['expect'], name = qs): Case => ({
	name: `/api/items?${name}`,
	handler: itemsGET,
	path: `/api/items?${qs}`,
	status,
	expect
});
const tile = (
	z: string,
	x: string,
	y: string,
	qs: string,
	status: number,
	expect: Case['expect']
): Case => ({
	name: `/tiles/items/${z}/${x}/${y}.mvt?${qs.slice(0, 40)}`,
	handler: tileGET,
	path: `/tiles/items/${z}/${x}/${y}.mvt?${qs}`,
	params: { z, x, y },
	status,
	expect
});
const e = encodeURIComponent;

const CASES: Case[] = [
	items('bbox=5,52,6', 400, /bbox moet vier getallen zijn/),
	items('bbox=6,52,5,53', 400, /minimum groter dan maximum/),
	items('bbox=5,52,200,53', 400, /buiten lengte -180…180/),
	items('bbox=52,5,53,200', 400, /buiten/),
	items('bbox=1e3,2,3,4', 400, /iets anders dan getallen/),
	items('bbox=NaN,52,6,53', 400, /iets anders dan getallen/),
	items('bbox=5,52,6,53&bbox=5,52,6,53', 400, /bbox mag maar één keer voorkomen/),
	items('limit=999999999999999999999', 400, /limit mag hoogstens 5000/),
	items('limit=5001', 400, /limit mag hoogstens 5000/),
	items('limit=-1', 400, /positief geheel getal/),
	items('limit=0x10', 400, /positief geheel getal/),
	items('limit=1&limit=2', 400, /limit mag maar één keer/),
	items(`layer=${e(SQL)}`, 400, /onbekende layer/),
	items(`theme=${e(SQL)}`, 400, /onbekend theme/),
	items(`status=${e(SQL)}`, 400, /onbekende status/),
	items(`area=${e(SQL)}`, 400, /is geen gebiedscode/),
	items(`from=${e(SQL)}`, 400, /from .* is geen datum/),
	items(`to=${e('now()')}`, 400, /to .* is geen datum/),
	items(`cursor=${e(btoa('i1 OR 1=1'))}`, 400, /cursor is ongeldig/),
	items(`format=${e('csv;' + SQL)}`, 400, /onbekend format/),
	items(`count=${e(SQL)}`, 400, /count moet true of false/),
	items(`format=csv&sep=${e(SQL)}`, 400, /sep moet , of ; zijn/),
	items(`format=gpkg&sep=${e('\t')}`, 400, /sep moet , of ; zijn/),
	items(`q=${e(SQL)}`, 200, { features: 0 }, 'q=<SQL>'),
	items(`q=${e('a\u0000b')}`, 400, /q bevat stuurtekens/, 'q=<NUL>'),
	items(`q=${e(RTL)}`, 200, { features: 0 }, 'q=<RTL override>'),
	items(`area=${e(RTL)}`, 400, /is geen gebiedscode/, 'area=<RTL override>'),
	items(`area=${e(NUL)}`, 400, /is geen gebiedscode/, 'area=<NUL>'),
	items(`q=${e(LONG)}`, 400, /q is langer dan 200 tekens/, 'q=<10,000 chars>'),
	items(`area=${e(LONG)}`, 400, /is geen gebiedscode/, 'area=<10,000 chars>'),
	items(`q=${e(COMBINING)}`, 200, { features: 0 }, 'q=<combining marks>'),
	items(`q=a&q=b`, 400, /q mag maar één keer/),
	items(`layer=meldingen&layer=${e(SQL)}`, 400, /onbekende layer/),
	items(`from=2024-02-30`, 400, /geen geldige datum/),
	{
		name: '/api/areas?level=<SQL>',
		handler: areasGET,
		path: `/api/areas?level=${e(SQL)}`,
		status: 400,
		expect: /Onbekend niveau/
	},
	{
		name: '/api/areas?level=<NUL>',
		handler: areasGET,
		path: `/api/areas?level=${e(NUL)}`,
		status: 400,
		expect: /Onbekend niveau/
	},
	{
		name: '/api/areas?level=<10,000 chars>',
		handler: areasGET,
		path: `/api/areas?level=${LONG}`,
		status: 400,
		expect: /Onbekend niveau/
	},
	{
		name: '/api/areas/<SQL>',
		handler: areaGET,
		path: `/api/areas/x`,
		params: { code: SQL },
		status: 404,
		expect: /Geen gebied met code/
	},
	{
		name: '/api/areas/<NUL>',
		handler: areaGET,
		path: `/api/areas/x`,
		params: { code: NUL },
		status: 404,
		expect: /Geen gebied met code/
	},
	{
		name: '/api/areas/<RTL>?level=<SQL>',
		handler: areaGET,
		path: `/api/areas/x?level=${e(SQL)}`,
		params: { code: RTL },
		status: 404,
		expect: /Geen gebied met code/
	},
	{
		name: '/api/areas/<10,000 chars>',
		handler: areaGET,
		path: `/api/areas/x`,
		params: { code: LONG },
		status: 404,
		expect: /Geen gebied met code/
	},
	tile('99', '0', '0', '', 400, /geen geldige tegel/),
	tile('14', '-1', '0', '', 400, /geen geldige tegel/),
	tile('14', '1e3', '0', '', 400, /geen geldige tegel/),
	tile('2', '4', '0', '', 400, /geen geldige tegel/),
	tile('14', '8418', `5385${SQL}`, '', 400, /geen geldige tegel/),
	tile('14', '8418', '5385', `layer=${e(SQL)}`, 400, /onbekende layer/),
	tile('14', '8418', '5385', `q=${e('\u0000')}`, 400, /q bevat stuurtekens/),
	tile('14', '8418', '5385', 'from=2024-01-01&from=2025-01-01', 400, /from mag maar één keer/),
	tile('14', '8418', '5385', `area=${e(RTL)}`, 400, /is geen gebiedscode/)
];

describe(`hostile API parameters on ${storeName}`, () => {
	let store: TestStore;
	let before: string;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await syncTaxonomy(store.db);
		const [{ status }] = await store.db.query<{ status: string }>(
			`SELECT status FROM item_status WHERE layer = 'meldingen' LIMIT 1`
		);
		await store.db.query(
			`INSERT INTO item (layer, title, theme, status, geom, areas)
			 SELECT 'meldingen', 'Losse stoeptegel ' || g, 'openbare-ruimte', $1, ST_SetSRID(ST_MakePoint(5.1 + g / 1000.0, 52.09), 4326), '{}'
			 FROM generate_series(1, 20) g`,
			[status]
		);
		before = await storeHash(store.db);
	});
	afterAll(() => store?.dispose());

	it.each(CASES)('$name → $status', async (c) => {
		const url = new URL(c.path, 'http://wijkkaart.test');
		const res = await c.handler({
			url,
			params: c.params ?? {},
			locals: { db: store.db },
			request: new Request(url)
		} as never);
		const text = await res.text();
		expect(res.status, text.slice(0, 300)).toBe(c.status);
		if (c.expect instanceof RegExp) {
			expect(res.headers.get('content-type')).toMatch(/^application\/json/);
			const body = JSON.parse(text);
			expect(body.error).toMatch(c.expect);
			expect(text).not.toMatch(/\bat \S+:\d+|stack|syntax error|relation "/i);
		} else {
			expect(JSON.parse(text).features).toHaveLength(c.expect.features);
		}
		expect(await storeHash(store.db)).toBe(before);
	});

	it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));
});
