import { describe, expect, it } from 'vitest';
import {
	deriveCodes,
	detectFields,
	readPopulation
} from '../../src/lib/server/import/area-fields.ts';
import { chooseParents } from '../../src/lib/geo/parents.ts';

describe('field detection', () => {
	it('reads CBS buurt files: BU_CODE is the code, WK_CODE the parent', () => {
		expect(detectFields(['BU_CODE', 'BU_NAAM', 'WK_CODE', 'GM_CODE', 'AANT_INW'])).toEqual({
			code: 'BU_CODE',
			name: 'BU_NAAM',
			population: 'AANT_INW',
			parent: 'WK_CODE'
		});
	});

	it('reads CBS wijk files: WK_CODE is the code, GM_CODE the parent', () => {
		expect(detectFields(['WK_CODE', 'WK_NAAM', 'GM_CODE'])).toMatchObject({
			code: 'WK_CODE',
			name: 'WK_NAAM',
			parent: 'GM_CODE'
		});
	});

	it('reads PDOK OGC API files and the Utrecht open data', () => {
		expect(
			detectFields(['buurtcode', 'buurtnaam', 'wijkcode', 'gemeentecode', 'aantal_inwoners'])
		).toEqual({
			code: 'buurtcode',
			name: 'buurtnaam',
			population: 'aantal_inwoners',
			parent: 'wijkcode'
		});
		expect(detectFields(['KODE', 'NAAM', 'WIJKKODE', 'ID'])).toEqual({
			code: 'KODE',
			name: 'NAAM',
			population: null,
			parent: 'WIJKKODE'
		});
		expect(detectFields(['name', 'geometry_id'])).toEqual({
			code: null,
			name: 'name',
			population: null,
			parent: null
		});
	});

	it('lets flags override, and refuses a flag naming an absent property', () => {
		expect(detectFields(['KODE', 'NAAM', 'label'], { name: 'label' }).name).toBe('label');
		expect(() => detectFields(['KODE'], { code: 'nope' })).toThrow(/"nope".*--code/);
	});

	it('treats CBS secrecy sentinels as unknown population', () => {
		expect(readPopulation(-99999999)).toBeNull();
		expect(readPopulation('12 345')).toBe(12345);
		expect(readPopulation(null)).toBeNull();
	});

	it('derives stable, unique codes from names', () => {
		expect(deriveCodes(['Centrum', 'Nieuw-West', 'Centrum', 'Zuidoost ', 'IJburg'])).toEqual([
			'centrum',
			'nieuw-west',
			'centrum-2',
			'zuidoost',
			'ijburg'
		]);
	});
});

describe('parent choice', () => {
	it('takes the parent holding most of the child, ignoring edge slivers', () => {
		const chosen = chooseParents([
			{ child: 'b1', parent: 'w1', share: 0.97 },
			{ child: 'b1', parent: 'w2', share: 0.03 },
			{ child: 'b2', parent: 'w1', share: 0.45 },
			{ child: 'b2', parent: 'w2', share: 0.55 },
			{ child: 'b3', parent: 'w3', share: 0.05 }
		]);
		expect(chosen.get('b1')).toBe('w1');
		expect(chosen.get('b2')).toBe('w2');
		expect(chosen.has('b3')).toBe(false); // mostly outside every wijk: no parent rather than a wrong one
	});
});
