import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freshStore, type TestStore } from './db.ts';
import { launchBrowser, startServer, type RunningServer } from './server.ts';

export interface Portal {
	store: TestStore;
	server: RunningServer;
	browser: Browser;
	page: Page;
	env: Record<string, string>;
	close(): Promise<void>;
}

/**
 * A fresh store, filled by `prepare`, served by the production build, with Debian chromium
 * on it. PGlite admits one process per data directory, so `release()` hands the store over
 * (prepare may call it early, e.g. to run the CLI on it); the server gets it last.
 */
export async function openPortal(
	prepare: (
		store: TestStore,
		env: Record<string, string>,
		release: () => Promise<void>
	) => Promise<void>,
	viewport = { width: 1280, height: 800 }
): Promise<Portal> {
	const store = await freshStore();
	const tilesDir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-tiles-'));
	// Browser tests ask the expensive endpoints (analysis, search) more often than one visitor may.
	const env = { ...store.env, WIJKKAART_TILES_DIR: tilesDir, WIJKKAART_RATE_EXPENSIVE: '1000000' };
	let released = false;
	const release = async () => {
		if (released || store.db.kind !== 'pglite') return;
		released = true;
		await store.db.close();
	};
	await prepare(store, env, release);
	await release();
	const server = await startServer(env);
	const browser = await launchBrowser();
	const page = await browser.newPage({ viewport, locale: 'nl-NL' });
	const portal: Portal = {
		store,
		server,
		browser,
		page,
		env,
		async close() {
			await browser.close();
			// The server now serving: a test that restarts it (PGlite admits one process) sets it here.
			await portal.server.stop();
			if (store.db.kind === 'pglite')
				rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
			else await store.dispose();
			rmSync(tilesDir, { recursive: true, force: true });
		}
	};
	return portal;
}
