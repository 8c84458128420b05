import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Guard rail: every setting is read through config() (src/lib/server/config.ts), so the README's
 * table, the defaults and the validation have one home. A new `process.env.X` elsewhere fails here.
 */
const ROOTS = ['src', 'scripts'];
const ENV_READ =
	/process\s*(?:\.\s*env\b|\[\s*['"]env['"]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b|\$env\/|import\.meta\.env\b/g;

/** The places that hand the environment on rather than read a setting, each with how often and why. */
const ALLOWED: Record<string, { count: number; why: string }> = {
	'src/lib/server/config.ts': {
		count: 2,
		why: 'the one home: config() and publicOrigin() read it'
	},
	'src/lib/server/admin/context.ts': {
		count: 2,
		why: "commandEnv(): the server's environment with a forwarded command's caller settings on top, for config()"
	},
	'src/lib/server/admin/cli.ts': {
		count: 1,
		why: "forward(): copies the caller's own settings (CALLER_ENV) to the portal, which reads them through config()"
	},
	'src/lib/server/http/expensive.ts': {
		count: 2,
		why: "writes the server's defaults (statement timeout, PGlite in its worker) before config() first reads them (the CLI has neither)"
	},
	'src/lib/server/bench/serve-build.ts': {
		count: 1,
		why: 'the environment of the child server the bench starts'
	},
	'scripts/start.ts': {
		count: 5,
		why: "sets adapter-node's own variables (PORT, ORIGIN, BODY_SIZE_LIMIT) before it starts, and says where it runs"
	}
};

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && /\.(ts|js|svelte)$/.test(e.name))
		.map((e) => path.join(e.parentPath, e.name));
}

function envReads(files: Record<string, string>): Record<string, number> {
	const found: Record<string, number> = {};
	for (const [file, text] of Object.entries(files)) {
		const n = text.match(ENV_READ)?.length ?? 0;
		if (n > 0) found[file] = n;
	}
	return found;
}

describe('environment variables', () => {
	it('are read through config() only, apart from the allow-listed hand-overs', () => {
		const files = Object.fromEntries(
			ROOTS.flatMap(sources).map((f) => [f.split(path.sep).join('/'), readFileSync(f, 'utf8')])
		);
		const expected = Object.fromEntries(Object.entries(ALLOWED).map(([f, a]) => [f, a.count]));
		expect(envReads(files)).toEqual(expected);
	});

	it('recognises the ways code reaches the environment', () => {
		const reads = envReads({
			a: 'const x = process.env.FOO;',
			b: "const y = process['env'].FOO;",
			c: 'const { env } = process;',
			d: "import { env } from '$env/dynamic/private';",
			e: 'if (import.meta.env.DEV) {}',
			f: 'const environment = config().debug; // not process-wide'
		});
		expect(reads).toEqual({ a: 1, b: 1, c: 1, d: 1, e: 1 });
	});
});
