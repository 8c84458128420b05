import { describe, expect, it } from 'vitest';
import { basemapOrigins, parseBasemap, PDOK_ATTRIBUTION } from '../../src/lib/map/basemap-config';
import { applyCsp, rewritePolicy } from '../../src/lib/server/http/csp';
import { config, publicOrigin } from '../../src/lib/server/config';

const BUILT =
	"default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'";

describe('basemap configuration', () => {
	it('is PDOK BRT Achtergrondkaart by default, with its attribution', () => {
		const b = parseBasemap(undefined);
		expect(b.kind).toBe('raster');
		if (b.kind !== 'raster') return;
		expect(b.tiles).toBe(
			'https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png'
		);
		expect(b.attribution).toBe(PDOK_ATTRIBUTION);
		expect(basemapOrigins(b)).toEqual(['https://service.pdok.nl']);
	});
	it('takes none, a PDOK variant or a style URL, and refuses anything else clearly', () => {
		expect(parseBasemap('none')).toEqual({ kind: 'none' });
		expect(basemapOrigins(parseBasemap('none'))).toEqual([]);
		expect(parseBasemap('pdok-grijs')).toMatchObject({ tiles: expect.stringContaining('/grijs/') });
		expect(parseBasemap('https://tiles.example.org/style.json')).toEqual({
			kind: 'style',
			url: 'https://tiles.example.org/style.json'
		});
		expect(() => parseBasemap('ftp://x')).toThrow(/WIJKKAART_BASEMAP_STYLE/);
		expect(() => parseBasemap('pdok-roze')).toThrow(/WIJKKAART_BASEMAP_STYLE/);
	});
});

describe('Content-Security-Policy at run time', () => {
	const page = (pathname: string, env: Record<string, string>) => {
		const res = new Response('x', { headers: { 'content-security-policy': BUILT } });
		applyCsp(res, pathname, config(env));
		return res.headers.get('content-security-policy')!;
	};
	it('lets pages reach the configured basemap and nothing else', () => {
		const csp = page('/', {
			WIJKKAART_BASEMAP_STYLE: 'https://tiles.example.org/style.json',
			WIJKKAART_BASEMAP_ORIGINS: 'https://fonts.example.net'
		});
		expect(csp).toContain(
			"img-src 'self' data: blob: https://tiles.example.org https://fonts.example.net"
		);
		expect(csp).toContain("connect-src 'self' https://tiles.example.org https://fonts.example.net");
		expect(csp).not.toContain('service.pdok.nl');
		expect(page('/', { WIJKKAART_BASEMAP_STYLE: 'none' })).toBe(BUILT);
		expect(page('/', {})).toContain("connect-src 'self' https://service.pdok.nl");
	});
	it('lets configured sites frame /embed only', () => {
		const env = { WIJKKAART_EMBED_ORIGINS: 'https://www.gemeente.nl, http://127.0.0.1:9' };
		expect(page('/embed', env)).toContain(
			"frame-ancestors 'self' https://www.gemeente.nl http://127.0.0.1:9"
		);
		expect(page('/', env)).toContain("frame-ancestors 'none'");
		expect(page('/embedded', env)).toContain("frame-ancestors 'none'");
		expect(page('/embed', {})).toContain("frame-ancestors 'self'");
		expect(page('/embed', { WIJKKAART_EMBED_ORIGINS: '*' })).toContain('frame-ancestors *');
		expect(() => config({ WIJKKAART_EMBED_ORIGINS: 'javascript:alert(1)' })).toThrow(
			/WIJKKAART_EMBED_ORIGINS/
		);
	});
	it('leaves other directives alone and adds a missing replaced one', () => {
		expect(rewritePolicy("default-src 'self'", {}, { 'frame-ancestors': ['*'] })).toBe(
			"default-src 'self'; frame-ancestors *"
		);
	});
});

describe('public origin', () => {
	it('is ORIGIN when set, else the request origin', () => {
		expect(
			publicOrigin(new URL('http://127.0.0.1:4000/x'), { ORIGIN: 'https://kaart.gemeente.nl/' })
		).toBe('https://kaart.gemeente.nl');
		expect(publicOrigin(new URL('http://localhost:3000/x'), {})).toBe('http://localhost:3000');
	});
});

describe('one home for settings', () => {
	it('reads every environment variable in src/ through config(), apart from code that hands the environment on whole', async () => {
		const { readdirSync, readFileSync } = await import('node:fs');
		const path = await import('node:path');
		// These pass the environment on as a whole (to a forwarded command, a child process) or
		// set the server's default before config() reads it; none of them reads a setting.
		const PLUMBING = new Set([
			'lib/server/config.ts',
			'lib/server/admin/context.ts',
			'lib/server/admin/cli.ts',
			'lib/server/bench/serve-build.ts',
			'lib/server/http/expensive.ts'
		]);
		const root = path.resolve('src');
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const e of readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, e.name);
				if (e.isDirectory()) walk(full);
				else if (/\.(ts|svelte)$/.test(e.name) && !PLUMBING.has(path.relative(root, full))) {
					readFileSync(full, 'utf8')
						.split('\n')
						.forEach((line, i) => {
							if (/process\.env|\$env\//.test(line))
								offenders.push(`${path.relative(root, full)}:${i + 1}`);
						});
				}
			}
		};
		walk(root);
		expect(offenders).toEqual([]);
	});
	it('reads the limits it took over leniently, as before', () => {
		const cfg = config({
			WIJKKAART_RATE_SUBMIT: '0',
			WIJKKAART_RATE_SEARCH: '7',
			WIJKKAART_IMPORT_MAX_MB: '2',
			PORT: 'x',
			DATABASE_URL: 'postgres://x/y'
		});
		expect(cfg.rate).toEqual({ submit: 10, search: 7, expensive: 30 });
		expect(cfg.areaUploadMaxBytes).toBe(2 * 1024 * 1024);
		expect(cfg.itemImportMaxBytes).toBe(100 * 1024 * 1024);
		expect(cfg.port).toBe(3000);
		expect(cfg.expensiveConcurrency).toBe(4);
		expect(config({}).expensiveConcurrency).toBe(1);
		expect(config({}).statementTimeoutMs).toBeNull();
	});
});
