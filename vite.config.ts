import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const browserWorkers = Math.max(1, Number(process.env.WIJKKAART_BROWSER_WORKERS) || 1);

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node',
					// A guard against hangs, not a speed check: some unit tests build 21k tiles or run
					// thousands of properties, and CI may share the 2 cores with other jobs.
					testTimeout: 30_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/helpers/global-setup.ts'],
					testTimeout: 120_000,
					hookTimeout: 180_000,
					// PGlite instances are heavy (WASM + PostGIS); two at a time fits 2 cores.
					maxWorkers: 2,
					sequence: { groupOrder: 1 }
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/browser/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/helpers/global-setup.ts'],
					testTimeout: 180_000,
					hookTimeout: 300_000,
					// One file at a time unless WIJKKAART_BROWSER_WORKERS says more. Every file has its own
					// store, port, tiles dir and chromium, so files may run side by side; but some hold the
					// map to a few seconds (dense-map releases a request after 8 s), and two files at once on
					// 2 cores shared with other jobs failed those and 60 s server starts.
					fileParallelism: browserWorkers > 1,
					maxWorkers: browserWorkers,
					sequence: { groupOrder: 2 }
				}
			}
		]
	}
});
