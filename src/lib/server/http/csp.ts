import { basemapOrigins } from '../../map/basemap-config.ts';
import type { Config } from '../config.ts';

/**
 * The Content-Security-Policy as configured at run time. svelte.config.js holds the fixed part
 * (and SvelteKit adds its script hashes); here the basemap's origins are added to what the page
 * may load, and /embed gets the sites that may frame it. Changing the configuration needs a
 * restart, never a rebuild.
 */
export const EMBED_PATH = '/embed';

export function isEmbed(pathname: string): boolean {
	return pathname === EMBED_PATH || pathname.startsWith(`${EMBED_PATH}/`);
}

/** Origins a page may fetch the basemap from: its style or tile origin plus WIJKKAART_BASEMAP_ORIGINS. */
export function basemapSources(cfg: Pick<Config, 'basemap' | 'basemapOrigins'>): string[] {
	return [...new Set([...basemapOrigins(cfg.basemap), ...cfg.basemapOrigins])];
}

/** The embed page's frame-ancestors: 'self' plus the configured sites ("*" = any). */
export function embedAncestors(cfg: Pick<Config, 'embedOrigins'>): string[] {
	return cfg.embedOrigins.includes('*') ? ['*'] : ["'self'", ...cfg.embedOrigins];
}

/** Rewrites one policy: extra sources per directive, directives replaced outright. */
export function rewritePolicy(
	policy: string,
	add: Record<string, string[]>,
	replace: Record<string, string[]> = {}
): string {
	const directives = policy
		.split(';')
		.map((d) => d.trim())
		.filter(Boolean)
		.map((d) => {
			const [name, ...values] = d.split(/\s+/);
			return { name, values };
		});
	for (const d of directives) {
		if (replace[d.name]) d.values = replace[d.name];
		else if (add[d.name])
			d.values = [...d.values, ...add[d.name].filter((v) => !d.values.includes(v))];
	}
	for (const [name, values] of Object.entries(replace))
		if (!directives.some((d) => d.name === name)) directives.push({ name, values });
	return directives.map((d) => [d.name, ...d.values].join(' ')).join('; ');
}

/** Applies the run-time part to a response that carries SvelteKit's policy (pages only). */
export function applyCsp(
	response: Response,
	pathname: string,
	cfg: Pick<Config, 'basemap' | 'basemapOrigins' | 'embedOrigins'>
): void {
	const policy = response.headers.get('content-security-policy');
	if (!policy) return;
	const basemap = basemapSources(cfg);
	response.headers.set(
		'content-security-policy',
		rewritePolicy(
			policy,
			{ 'img-src': basemap, 'connect-src': basemap, 'font-src': basemap },
			isEmbed(pathname) ? { 'frame-ancestors': embedAncestors(cfg) } : {}
		)
	);
}
