import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Guard rail: a message a resident or client reads is a catalogue code (errors.*.json, nl and
 * en), never a literal. A literal here would answer Dutch to an English request.
 */
const root = path.resolve(__dirname, '../..');
const src = (p: string) => path.join(root, 'src', p);

const routeFiles = (dir: string, name = '+server.ts') =>
	readdirSync(src(dir), { recursive: true, encoding: 'utf8' })
		.filter((f) => path.basename(f) === name)
		.map((f) => path.join(dir, f));

const FILES = [
	...routeFiles('routes/api'),
	...routeFiles('routes/tiles'),
	...routeFiles('routes/ogc'),
	...routeFiles('routes/foto'),
	...routeFiles('routes/volg').filter((f) => f.includes('foto')),
	'routes/beheer/gebruikers/+page.server.ts',
	'routes/beheer/moderatie/+page.server.ts',
	'hooks.server.ts',
	'lib/domain/item-edit.ts',
	'lib/domain/agenda.ts',
	'lib/domain/status.ts',
	'lib/server/items/edit.ts',
	'lib/server/items/edit-form.ts',
	'lib/server/items/edit-http.ts',
	'lib/server/items/edit-page.ts',
	'lib/server/moderation.ts',
	'lib/server/photo-moderation.ts',
	'lib/server/auth/users.ts',
	'lib/server/auth/password.ts',
	'lib/server/auth/policy.ts',
	'lib/server/auth/guard.ts',
	'lib/server/residents/photo.ts',
	'lib/server/tiles/params.ts',
	'lib/server/ogc/messages.ts',
	'lib/server/ogc/params.ts'
];

const Q = `['"\`]`;
/** Ways a text reaches a client without a code; each names what it catches. */
const LITERALS: [string, RegExp][] = [
	['jsonError(status, text)', /\bjsonError\s*\(/],
	// Error, RangeError, TypeError: programming errors, answered as a generic 500.
	[
		'new SomeError("text")',
		new RegExp(`new\\s+(?!(?:Range|Type)?Error\\b)\\w*Error\\s*\\(\\s*${Q}`)
	],
	[
		'ValidationError({ field: "text" })',
		new RegExp(`ValidationError\\s*\\(\\s*\\{[^}]*?:\\s*${Q}`)
	],
	['error(status, "text")', new RegExp(`\\berror\\s*\\(\\s*\\d{3}\\s*,\\s*${Q}`)],
	['fail(status, { message: "text" })', new RegExp(`\\bfail\\s*\\([^;]*?message\\s*:\\s*${Q}`)],
	// Capitalised: a sentence, not an id such as the audit trail's 'onbekend account'.
	['{ reason: "Text" }', new RegExp(`\\breason\\s*:\\s*${Q}[A-Z]`)],
	['zod { error: "text" } without a code', new RegExp(`\\berror\\s*:\\s*${Q}(?!errors\\.)`)],
	[
		'zod .min/.max/.regex(…, "text")',
		new RegExp(`\\.(?:min|max|regex|refine)\\([^()]*,\\s*${Q}(?!errors\\.)`)
	]
];

/** The code without comments, so a comment may quote a message. */
const code = (text: string) =>
	text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}(,])\/\/.*$/gm, '$1');

export function literalMessages(files: string[]): string[] {
	const found: string[] = [];
	for (const file of files) {
		const lines = code(readFileSync(src(file), 'utf8'));
		for (const [what, re] of LITERALS) {
			const g = new RegExp(re.source, 'g');
			for (const m of lines.matchAll(g)) {
				const line = lines.slice(0, m.index).split('\n').length;
				found.push(`src/${file}:${line}: ${what}`);
			}
		}
	}
	return found;
}

describe('server messages are codes', () => {
	it('finds every file it guards', () => {
		expect(FILES.length).toBeGreaterThan(30);
		for (const f of FILES) expect(() => readFileSync(src(f)), f).not.toThrow();
	});

	it('no route under /api, /tiles, /ogc, the photo routes or the converted modules answers with a literal text', () => {
		expect(literalMessages(FILES)).toEqual([]);
	});

	it('would catch each kind of literal', () => {
		const probe = [
			"return jsonError(404, 'weg');",
			'throw new NotFoundError(`Item ${id} bestaat niet.`);',
			"throw new ValidationError({ reason: 'Geef een reden.' });",
			"error(403, 'Geen toegang.');",
			"return fail(400, { act, message: 'fout' });",
			"return { outcome: 'forbidden', reason: 'Dit valt buiten uw wijken.' };",
			"z.string({ error: 'Vul een titel in.' })",
			"z.string().min(1, 'mag niet leeg zijn')"
		];
		const hits = probe.map((line) => LITERALS.filter(([, re]) => re.test(code(line))).length);
		expect(hits.every((n) => n >= 1)).toBe(true);
		// A code is not a literal text, and neither is a comment quoting one.
		const fine = [
			"throw new NotFoundError(msg('errors.edit.noItem', { id }));",
			"z.string({ error: 'errors.itemEdit.title' })",
			"// jsonError(404, 'weg') was the old way",
			"throw new RangeError('programming error');"
		];
		expect(fine.filter((line) => LITERALS.some(([, re]) => re.test(code(line))))).toEqual([]);
	});
});
