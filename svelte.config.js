import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Nothing here depends on the environment: the basemap's origins and the sites that may frame
		// /embed are added to this policy at run time (src/lib/server/http/csp.ts).
		csp: {
			// SvelteKit adds the hashes of its own inline bootstrap script; nothing else inline runs.
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// MapLibre's worker is served from our origin; blob: covers its fallback.
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'img-src': ['self', 'data:', 'blob:'],
				// MapLibre and Svelte set element styles at run time.
				'style-src': ['self', 'unsafe-inline'],
				'connect-src': ['self'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
