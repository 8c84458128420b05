import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/lib/domain/errors.ts';
import { parseTaxonomy } from '../../src/lib/domain/themes.ts';
import { toMultiPolygon, repairRings } from '../../src/lib/geo/polygons.ts';
import { readManifest } from '../../src/lib/server/backup/restore.ts';
import { errorResponse } from '../../src/lib/server/http/errors.ts';
import { normalizeGemeente } from '../../src/lib/server/import/cbs.ts';

/**
 * Messages of imports, backups, geometry and themes come from the catalogue, so the mapper
 * answers them in either language with the same status, field and code. Expected texts are
 * written out here.
 */

function caught(fn: () => unknown): AppError {
	try {
		fn();
	} catch (err) {
		return err as AppError;
	}
	throw new Error('expected a refusal');
}

async function answer(err: AppError, lang: 'nl' | 'en') {
	const res = errorResponse(err, lang);
	return { status: res.status, lang: res.headers.get('content-language'), body: await res.json() };
}

describe('import, backup, geometry and theme messages in Dutch and English', () => {
	const cases: {
		name: string;
		err: () => AppError;
		status: number;
		field?: string;
		code: string;
		nl: string;
		en: string;
	}[] = [
		{
			name: 'import refusal',
			err: () => caught(() => normalizeGemeente('Utrecht')),
			status: 400,
			code: 'errors.import.gemeenteCode',
			nl: 'gemeentecode "Utrecht" is ongeldig; gebruik GM gevolgd door 4 cijfers, bijv. GM0363',
			en: 'municipality code "Utrecht" is invalid; use GM followed by 4 digits, e.g. GM0363'
		},
		{
			name: 'restore refusal',
			err: () => {
				const dir = mkdtempSync(path.join(os.tmpdir(), 'wk-msg-'));
				try {
					writeFileSync(path.join(dir, 'manifest.json'), '{ kapot');
					return caught(() => readManifest(dir));
				} finally {
					rmSync(dir, { recursive: true, force: true });
				}
			},
			status: 400,
			code: 'errors.backup.manifestJson',
			nl: 'manifest.json is geen geldige JSON; de back-up is beschadigd',
			en: 'manifest.json is not valid JSON; the backup is damaged'
		},
		{
			name: 'ring error',
			err: () =>
				caught(() =>
					repairRings({
						type: 'MultiPolygon',
						coordinates: [
							[
								[
									[5, 52],
									[5.1, 52],
									[5, 52]
								]
							]
						]
					})
				),
			status: 400,
			field: 'geometry',
			code: 'errors.geometry.shortRing',
			nl: 'ring met 3 punten; een ring heeft er minstens 4 nodig',
			en: 'ring with 3 points; a ring needs at least 4'
		},
		{
			name: 'polygon error',
			err: () => caught(() => toMultiPolygon({ type: 'LineString', coordinates: [] })),
			status: 400,
			field: 'geometry',
			code: 'errors.geometry.notPolygon',
			nl: 'geometrie is LineString; verwacht Polygon of MultiPolygon',
			en: 'geometry is LineString; expected Polygon or MultiPolygon'
		},
		{
			name: 'theme validation',
			err: () =>
				caught(() =>
					parseTaxonomy(
						{
							themes: [{ id: 'groen', nl: 'Groen', color: '#2E7D32' }],
							categories: [{ id: 'bomen', nl: 'Bomen', theme: 'water' }]
						},
						'themes.json'
					)
				),
			status: 500,
			field: 'categories',
			code: 'errors.theme.at',
			nl: 'themes.json: categorie bomen: onbekend thema "water"; toegestaan: groen',
			en: 'themes.json: category bomen: unknown theme "water"; allowed: groen'
		}
	];

	it.each(cases)('$name', async (c) => {
		const err = c.err();
		expect(err.message, 'the Dutch text stays the message').toBe(c.nl);
		const nl = await answer(err, 'nl');
		const en = await answer(err, 'en');
		for (const [a, lang] of [
			[nl, 'nl'],
			[en, 'en']
		] as const) {
			expect(a.status).toBe(c.status);
			expect(a.lang).toBe(lang);
			expect(a.body.code).toBe(c.code);
			expect(a.body.field).toBe(c.field);
		}
		expect(nl.body.error).toBe(c.nl);
		expect(en.body.error).toBe(c.en);
	});
});

/**
 * Guard rail: in these modules a message a person reads is a catalogue code, never a literal
 * sentence thrown as an error. A literal with a space in `new …Error(` is such a sentence (codes
 * and field names have none).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const GUARDED = [
	'src/lib/server/import',
	'src/lib/server/backup',
	'src/lib/server/analyse',
	'src/lib/geo/polygons.ts',
	'src/lib/geo/rd.ts',
	'src/lib/domain/themes.ts',
	'src/lib/domain/items.ts',
	'src/lib/domain/analyse.ts',
	'src/lib/server/demo/fixtures-utrecht.ts',
	'src/lib/server/db/lock.ts',
	'src/routes/beheer/import'
];
/** Programming errors no user or file can cause; they go to the log, never to a person. */
const INTERNAL = new Set(['src/lib/server/backup/catalog.ts']);

function files(p: string): string[] {
	const full = path.join(ROOT, p);
	if (!statSync(full).isDirectory()) return [p];
	return readdirSync(full).flatMap((f) => files(path.join(p, f)));
}

/** `new XError('a sentence')`, over line breaks, in ' " or ` quotes. */
function literalMessages(source: string): string[] {
	const out: string[] = [];
	for (const m of source.matchAll(/new\s+\w*Error\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g))
		if (/\s/.test(m[2])) out.push(m[2]);
	return out;
}

describe('guard rail: no literal messages in import, backup, geometry, themes', () => {
	it('recognises a literal sentence and lets a code through', () => {
		expect(literalMessages('throw new ImportError(\n\t`laag ${x} ontbreekt`\n);')).toHaveLength(1);
		expect(literalMessages("throw new Error('het bestand is leeg');")).toHaveLength(1);
		expect(literalMessages("throw new ImportError(msg('errors.import.empty'));")).toEqual([]);
		expect(literalMessages("new ItemRuleError('title', 'errors.item.titleMissing')")).toEqual([]);
	});

	const all = GUARDED.flatMap(files).filter((f) => /\.(ts|svelte)$/.test(f) && !INTERNAL.has(f));
	it.each(all)('%s throws no literal message', (f) => {
		expect(literalMessages(readFileSync(path.join(ROOT, f), 'utf8'))).toEqual([]);
	});
});
