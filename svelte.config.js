import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// A configured basemap is the only outside origin the page may reach; it is read at build time.
const basemap = process.env.WIJKKAART_BASEMAP_STYLE ? [new URL(process.env.WIJKKAART_BASEMAP_STYLE).origin] : [];

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		csp: {
			// SvelteKit adds the hashes of its own inline bootstrap script; nothing else inline runs.
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// MapLibre's worker is served from our origin; blob: covers its fallback.
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'img-src': ['self', 'data:', 'blob:', ...basemap],
				// MapLibre and Svelte set element styles at run time.
				'style-src': ['self', 'unsafe-inline'],
				'connect-src': ['self', ...basemap],
				'font-src': ['self', ...basemap],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
