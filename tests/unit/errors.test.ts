import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	AppError,
	ForbiddenError,
	msg,
	NotFoundError,
	ValidationError
} from '../../src/lib/domain/errors.ts';
import { ParamError } from '../../src/lib/domain/filters.ts';
import { ItemRuleError } from '../../src/lib/domain/items.ts';
import { GeometryError } from '../../src/lib/geo/polygons.ts';
import { AgendaError, VersionConflict } from '../../src/lib/server/agenda/store.ts';
import { UserInputError } from '../../src/lib/server/auth/users.ts';
import { RestoreError } from '../../src/lib/server/backup/restore.ts';
import { errorBody, errorResponse } from '../../src/lib/server/http/errors.ts';
import { ImportError } from '../../src/lib/server/import/areas.ts';
import { HttpError } from '../../src/lib/server/items/edit-http.ts';
import { UnknownAreaError } from '../../src/lib/server/items/read.ts';
import { PhotoError } from '../../src/lib/server/residents/photo.ts';

/** Every AppError subclass with the status, field and code it must answer with, written out here. */
const cases: [string, AppError, number, string | undefined, string | undefined][] = [
	[
		'AppError',
		new AppError(msg('errors.near.nothing', { q: 'x' }), { status: 404, field: 'q' }),
		404,
		'q',
		'errors.near.nothing'
	],
	[
		'ParamError',
		new ParamError(msg('errors.straten.bbox'), 'bbox'),
		400,
		'bbox',
		'errors.straten.bbox'
	],
	['UnknownAreaError', new UnknownAreaError('onbekend gebied'), 400, 'area', undefined],
	[
		'ItemRuleError',
		new ItemRuleError('title', 'errors.item.titleMissing'),
		400,
		'title',
		'errors.item.titleMissing'
	],
	[
		'ValidationError',
		new ValidationError({ startsAt: msg('errors.item.startsAt') }),
		400,
		'startsAt',
		undefined
	],
	[
		'NotFoundError',
		new NotFoundError(msg('errors.agenda.noAction', { id: 3 })),
		404,
		undefined,
		'errors.agenda.noAction'
	],
	['ForbiddenError', new ForbiddenError('Geen toegang.'), 403, undefined, undefined],
	['HttpError', new HttpError(401, 'Log in'), 401, undefined, undefined],
	[
		'AgendaError',
		new AgendaError(msg('errors.agenda.text'), { field: 'text' }),
		400,
		'text',
		'errors.agenda.text'
	],
	[
		'VersionConflict',
		new VersionConflict({ version: 2, updatedBy: 'a@b', updatedAt: 'nu' }),
		409,
		'form',
		undefined
	],
	['UserInputError', new UserInputError('onbekende rol'), 400, undefined, undefined],
	['ImportError', new ImportError('geen bestand'), 400, undefined, undefined],
	['RestoreError', new RestoreError('geen back-up'), 400, undefined, undefined],
	['GeometryError', new GeometryError('snijdt zichzelf'), 400, 'geometry', undefined],
	['PhotoError', new PhotoError('te groot', 413), 413, 'photo', undefined]
];

describe('AppError → answer', () => {
	it.each(cases)(
		'%s answers with its own status, field and code, whatever its message says',
		async (_name, err, status, field, code) => {
			const before = errorBody(err, 'nl');
			// Reword the message: nothing but the text may change.
			err.message = 'Geef 404 niet gevonden: titel, status, geometrie, begintijd';
			const res = errorResponse(err, 'nl');
			expect(res.status).toBe(status);
			const body = (await res.json()) as Record<string, unknown>;
			expect(body.field).toBe(field);
			expect(body.code).toBe(code);
			expect(typeof body.error).toBe('string');
			expect({ ...body, error: undefined }).toEqual({ ...before, error: undefined });
		}
	);

	it('gives the text in the asked language from the catalogue, Dutch otherwise', () => {
		const err = new ItemRuleError('theme', 'errors.item.theme', { theme: 'x', allowed: 'a, b' });
		expect(err.messageIn('nl')).toBe('onbekend thema "x"; toegestaan: a, b');
		expect(err.messageIn('en')).toBe('unknown theme "x"; allowed: a, b');
		const v = new ValidationError({
			title: msg('errors.item.titleMissing'),
			details: 'Dutch only'
		});
		expect(v.fieldsIn('en')).toEqual({ title: 'title is missing', details: 'Dutch only' });
		expect(errorBody(v, 'en')).toMatchObject({
			fields: { title: 'title is missing' },
			field: 'title'
		});
	});
});

/**
 * No code may decide anything from an error's text: a match on `message` (or a text that came
 * from one) is how rewording used to change a status or a form field.
 */
describe('no code reads an error message to decide', () => {
	const root = path.resolve(__dirname, '../../src');
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const p = path.join(dir, name);
			if (statSync(p).isDirectory()) walk(p);
			else if (/\.(ts|svelte)$/.test(name)) files.push(p);
		}
	};
	walk(root);
	const PARSES = [
		/\b(message|error|scope|reason)\??\.(startsWith|endsWith|includes|indexOf|search|match)\(/,
		/\.(test|exec)\([\w.]*\b(message|error)\b/,
		/\bfieldOf\(\s*message/
	];
	// Texts that carry nothing else: node:util's parseArgs names the option only in its message (the
	// command line prints it), and PGlite's GEOS warnings are notices with text only.
	const ALLOWED = new Set(['lib/server/admin/commands.ts', 'lib/server/db/pglite.ts']);

	it('finds no message parsing in src/', () => {
		const hits: string[] = [];
		for (const f of files) {
			const rel = path.relative(root, f).split(path.sep).join('/');
			if (ALLOWED.has(rel)) continue;
			readFileSync(f, 'utf8')
				.split('\n')
				.forEach((line, i) => {
					if (PARSES.some((re) => re.test(line))) hits.push(`${rel}:${i + 1}: ${line.trim()}`);
				});
		}
		expect(hits).toEqual([]);
	});
});
