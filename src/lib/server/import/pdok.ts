import { msg } from '../../domain/errors.ts';
import { parseArgs } from 'node:util';
import { config } from '../config.ts';
import { openDb } from '../db/index.ts';
import { recordGemeente } from './area-plan.ts';
import { importAreaLevels, ImportError } from './areas.ts';
import { formatAreaSummary, rebuildTiles } from './cli.ts';

export const PDOK_USAGE = `gebruik: npm run import -- pdok --gemeente <GMxxxx> [--jaar <jaar>]

  Haalt de CBS-wijken en -buurten van één gemeente, met inwonertal, op bij PDOK (OGC API
  Features, collecties "wijken" en "buurten", gefilterd op gemeentecode, alle pagina's via
  rel="next") en vervangt daarmee de niveaus wijk en buurt (ouder: wijk), samen in één
  transactie: beide of geen van beide. Daarna worden de kaarttegels opnieuw gemaakt.
  --gemeente    CBS-gemeentecode, bijv. GM0344 (Utrecht).
  --jaar        jaargang van de wijk- en buurtkaart (standaard 2024).
  Basis-URL: WIJKKAART_PDOK_URL, waarin {jaar} wordt ingevuld; standaard
  https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1`;

const PAGE = 1000;
const MAX_PAGES = 200;

interface OgcPage {
	type?: string;
	features?: unknown[];
	links?: { rel?: string; href?: string; type?: string }[];
}

/** Fetches every page of an OGC API Features collection by following rel="next". */
export async function fetchAllFeatures(
	firstUrl: string,
	fetchFn: typeof fetch = fetch
): Promise<unknown[]> {
	const features: unknown[] = [];
	let url: string | null = firstUrl;
	for (let page = 0; url; page++) {
		if (page >= MAX_PAGES)
			throw new ImportError(msg('errors.import.pdokPages', { max: MAX_PAGES, url: firstUrl }));
		let res: Response;
		try {
			res = await fetchFn(url, {
				headers: { accept: 'application/geo+json, application/json' },
				signal: AbortSignal.timeout(60_000)
			});
		} catch (err) {
			throw new ImportError(
				msg('errors.import.pdokUnreachable', { url, reason: (err as Error).message })
			);
		}
		if (!res.ok)
			throw new ImportError(msg('errors.import.pdokStatus', { status: res.status, url }));
		let body: OgcPage;
		try {
			body = (await res.json()) as OgcPage;
		} catch {
			throw new ImportError(msg('errors.import.pdokJson', { url }));
		}
		if (body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
			throw new ImportError(msg('errors.import.pdokCollection', { url }));
		}
		features.push(...body.features);
		const next = body.links?.find((l) => l.rel === 'next' && l.href)?.href;
		url = next ? new URL(next, url).toString() : null;
	}
	return features;
}

export function pdokUrls(
	base: string,
	gemeente: string,
	jaar: string
): { wijken: string; buurten: string } {
	const root = base.replaceAll('{jaar}', jaar).replace(/\/+$/, '');
	const q = `?f=json&limit=${PAGE}&gemeentecode=${encodeURIComponent(gemeente)}`;
	return {
		wijken: `${root}/collections/wijken/items${q}`,
		buurten: `${root}/collections/buurten/items${q}`
	};
}

export async function runPdokImport(argv: string[]): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: {
			gemeente: { type: 'string' },
			jaar: { type: 'string', default: '2024' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(PDOK_USAGE);
		return 0;
	}
	const gemeente = values.gemeente?.toUpperCase();
	if (!gemeente || !/^GM\d{4}$/.test(gemeente))
		throw new ImportError(msg('errors.import.pdokGemeente', { usage: PDOK_USAGE }));
	if (!/^\d{4}$/.test(values.jaar!))
		throw new ImportError(msg('errors.import.year', { option: '--jaar' }));

	const fetched = performance.now();
	const urls = pdokUrls(config().pdokBaseUrl, gemeente, values.jaar!);
	const wijken = await fetchAllFeatures(urls.wijken);
	const buurten = await fetchAllFeatures(urls.buurten);
	if (wijken.length === 0 || buurten.length === 0) {
		throw new ImportError(
			msg('errors.import.pdokNone', {
				kind: wijken.length ? 'buurten' : 'wijken',
				gemeente,
				year: values.jaar!
			})
		);
	}

	console.log(
		`opgehaald bij PDOK: ${wijken.length} wijken, ${buurten.length} buurten in ${((performance.now() - fetched) / 1000).toFixed(1)} s`
	);
	const db = await openDb();
	const started = performance.now();
	try {
		const source = `pdok:${gemeente}:${values.jaar}`;
		const summaries = await importAreaLevels(db, [
			{
				input: { type: 'FeatureCollection', features: wijken },
				opts: { level: 'wijk', source, command: 'pdok' }
			},
			{
				input: { type: 'FeatureCollection', features: buurten },
				opts: { level: 'buurt', parentLevel: 'wijk', source, command: 'pdok' }
			}
		]);
		const name = (wijken[0] as { properties?: { gemeentenaam?: string } }).properties?.gemeentenaam;
		await recordGemeente(db, { code: gemeente, name: name ?? null });
		for (const s of summaries) console.log(formatAreaSummary(s, performance.now() - started));
		console.log(await rebuildTiles(db));
		return 0;
	} finally {
		await db.close();
	}
}
