import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, SHARED_UTRECHT, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { actions } from '../../src/routes/beheer/import/+page.server.ts';

/**
 * The staff import page answers in the language of the request: its refusals (status, field and
 * code the same in both) and its report of what the import would repair or leave out. The
 * expected texts are written out here, not read from the catalogue.
 */

type Lang = 'nl' | 'en';
type Answer = { status?: number; data?: Record<string, unknown> } & Record<string, unknown>;

describe(`/beheer/import answers in the request's language (${storeName})`, () => {
	let store: TestStore;
	const user = {
		id: 1,
		email: 'beheer@gemeente.example',
		name: 'B',
		role: 'beheerder',
		department: null,
		wijken: []
	};

	beforeAll(async () => {
		store = await freshStore();
	});
	afterAll(async () => {
		await store?.dispose();
	});

	const post = (
		lang: Lang,
		fields: Record<string, string>,
		file?: { name: string; bytes: Uint8Array }
	) => {
		const body = new FormData();
		for (const [k, v] of Object.entries(fields)) body.set(k, v);
		if (file) body.set('file', new File([file.bytes as BlobPart], file.name));
		const request = new Request('http://wijkkaart.test/beheer/import?/preview', {
			method: 'POST',
			body
		});
		return actions.preview({
			locals: { db: store.db, user, lang },
			request
		} as never) as Promise<Answer>;
	};

	it('refuses a zip without .dbf and a broken GeoPackage with the same status, field and code in Dutch and English', async () => {
		const before = await storeHash(store.db);
		const zip = { name: 'wijken.zip', bytes: zipSync({ 'wijken.shp': new Uint8Array(100) }) };
		const gpkg = {
			name: 'wijken.gpkg',
			bytes: new Uint8Array([
				...new TextEncoder().encode('SQLite format 3\0'),
				...new Uint8Array(84)
			])
		};
		const cases = [
			{
				file: zip,
				code: 'errors.import.noDbf',
				nl: 'wijken.shp heeft geen wijken.dbf in de zip',
				en: 'wijken.shp has no wijken.dbf in the zip'
			},
			{
				file: gpkg,
				code: 'errors.import.gpkgUnreadable',
				nl: /^het bestand is geen leesbare GeoPackage \(/,
				en: /^the file is not a readable GeoPackage \(/
			}
		];
		for (const c of cases) {
			for (const lang of ['nl', 'en'] as const) {
				const r = await post(lang, { mode: 'areas', level: 'wijk' }, c.file);
				expect(r.status, `${c.code} ${lang}`).toBe(400);
				expect(r.data).toMatchObject({ code: c.code, field: '_' });
				const text = r.data!.error as string;
				if (typeof c[lang] === 'string') expect(text).toBe(c[lang]);
				else expect(text).toMatch(c[lang]);
				expect(r.data!.message).toBe(text);
			}
		}
		expect(await storeHash(store.db)).toBe(before);
	});

	it('names the form field that is missing, in the asked language', async () => {
		const nl = await post('nl', { mode: 'cbs' });
		const en = await post('en', { mode: 'cbs' });
		for (const r of [nl, en]) {
			expect(r.status).toBe(400);
			expect(r.data).toMatchObject({ code: 'errors.import.formFile', field: 'file' });
		}
		expect(nl.data!.error).toBe('Kies eerst een bestand.');
		expect(en.data!.error).toBe('Choose a file first.');
	});

	it('reports what a preview leaves out and repairs in the asked language', async () => {
		const wijken = JSON.parse(readFileSync(path.join(SHARED_UTRECHT, 'wijk.geojson'), 'utf8'));
		const [first] = wijken.features;
		// An open ring: the import closes it and says so.
		const open = structuredClone(first);
		const ring =
			open.geometry.type === 'Polygon'
				? open.geometry.coordinates[0]
				: open.geometry.coordinates[0][0];
		ring.pop();
		const fc = {
			type: 'FeatureCollection',
			features: [
				open,
				{
					type: 'Feature',
					properties: { KODE: '99', NAAM: 'Punt' },
					geometry: { type: 'Point', coordinates: [5.1, 52.1] }
				}
			]
		};
		const file = { name: 'twee.geojson', bytes: new TextEncoder().encode(JSON.stringify(fc)) };
		const before = await storeHash(store.db);
		const reports: Record<Lang, { repaired: string[]; rejected: string[] }> = {} as never;
		for (const lang of ['nl', 'en'] as const) {
			const r = await post(lang, { mode: 'areas', level: 'wijk', skipInvalid: 'on' }, file);
			const level = (r.preview as { levels: { repaired: string[]; rejected: string[] }[] })
				.levels[0];
			reports[lang] = level;
		}
		const id = `feature 1 (${first.properties.KODE})`;
		expect(reports.nl.repaired).toEqual([
			`${id}: 1 ring(en) gesloten, 0 dubbele punt(en) verwijderd`
		]);
		expect(reports.en.repaired).toEqual([`${id}: 1 ring(s) closed, 0 repeated point(s) removed`]);
		expect(reports.nl.rejected).toEqual([
			'feature 2 (99): geometrie is Point; verwacht Polygon of MultiPolygon'
		]);
		expect(reports.en.rejected).toEqual([
			'feature 2 (99): geometry is Point; expected Polygon or MultiPolygon'
		]);
		// A preview writes nothing.
		expect(await storeHash(store.db)).toBe(before);
	});
});
