import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETAIL_FIELDS } from '../../src/lib/domain/items.ts';
import { LAYERS } from '../../src/lib/domain/layers.ts';

const dir = path.resolve(__dirname, '../../src/lib/i18n');
const flat = (o: Record<string, unknown>, prefix = ''): Record<string, string> =>
	Object.fromEntries(
		Object.entries(o).flatMap(([k, v]) =>
			v && typeof v === 'object'
				? Object.entries(flat(v as Record<string, unknown>, `${prefix}${k}.`))
				: [[`${prefix}${k}`, String(v)]]
		)
	);
const read = (file: string) => flat(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
const pairs = readdirSync(dir)
	.filter((f) => f.endsWith('nl.json'))
	.map((nl) => [nl, nl.replace(/nl\.json$/, 'en.json')] as const);

describe('texts in both languages', () => {
	it.each(pairs)(
		'%s and %s have the same keys, none empty, with the same {placeholders}',
		(nlFile, enFile) => {
			const nl = read(nlFile);
			const en = read(enFile);
			expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
			for (const [k, text] of Object.entries(nl)) {
				expect(text.trim(), `${nlFile} ${k}`).not.toBe('');
				expect(en[k].trim(), `${enFile} ${k}`).not.toBe('');
				const vars = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
				expect(vars(en[k]), `${k}`).toEqual(vars(text));
			}
		}
	);

	it('gives every detail field of every layer a label on the item page in Dutch and English', () => {
		const nl = read('nl.json');
		const en = read('en.json');
		for (const layer of LAYERS) {
			for (const f of DETAIL_FIELDS[layer]) {
				expect(nl[`item.detail.${f.key}`], `nl item.detail.${f.key}`).toBeTruthy();
				expect(en[`item.detail.${f.key}`], `en item.detail.${f.key}`).toBeTruthy();
			}
		}
	});
});
