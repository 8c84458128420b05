import { AppError, msg } from '../../domain/errors.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Point } from 'geojson';
import type { Taxonomy } from '../../domain/themes.ts';
import type { Db } from '../db/types.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { generateItems, type GeneratedItems, type Street } from './item-generator.ts';
import { prng } from './prng.ts';
import { writeGenerated } from './write-generated.ts';
import { seedAgendas } from '../agenda/demo.ts';
import { commandEnv } from '../admin/context.ts';
import { config } from '../config.ts';
import { decodeExportText } from '../import/addresses.ts';

/**
 * A realistic Utrecht test set: meldingen at the real street-light positions of the city
 * (lichtmasten.geojson, with street names), plus projects, initiatives and meetings. The data
 * is read at run time from the shared folder and never committed.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export function sharedUtrechtDir(env: NodeJS.ProcessEnv = commandEnv()): string {
	return config(env).sharedDataDir ?? path.join(repoRoot, '../shared/data/utrecht');
}

interface MastProps {
	STRAAT?: string | null;
	BUURT?: string | null;
	MASTNUMMER?: string | null;
}

export interface UtrechtData {
	lichtmasten: FeatureCollection<Point, MastProps>;
	/** Buurt code (as in buurt.geojson, "0311") → name. */
	buurtNames: Map<string, string>;
}

export function readUtrechtData(dir = sharedUtrechtDir()): UtrechtData {
	const read = (f: string) => {
		try {
			// The same decoding as the address import: the lichtmasten are Windows-1252, not UTF-8.
			return JSON.parse(decodeExportText(readFileSync(path.join(dir, f))));
		} catch (err) {
			throw new AppError(
				msg('errors.demo.unreadable', {
					file: path.join(dir, f),
					reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message
				})
			);
		}
	};
	const buurten = read('buurt.geojson') as FeatureCollection<null, { KODE: string; NAAM: string }>;
	return {
		lichtmasten: read('lichtmasten.geojson'),
		// NAAM is cut at 20 characters ("Geuzenwijk, De Drieh"): the first name reads best.
		buurtNames: new Map(
			buurten.features.map((f) => [f.properties.KODE, f.properties.NAAM.split(',')[0].trim()])
		)
	};
}

/** "03.11" in the lichtmasten file is buurt "0311" in buurt.geojson. */
export function buurtCode(mastBuurt: string): string {
	return mastBuurt.replace('.', '');
}

/** Streets as lamp posts in mast-number order, one street per buurt it runs through. */
export function utrechtStreets(data: UtrechtData): Street[] {
	const groups = new Map<string, { street: Street; order: number[] }>();
	for (const f of data.lichtmasten.features) {
		const name = f.properties.STRAAT?.trim();
		const code = buurtCode(f.properties.BUURT ?? '');
		if (!name || !f.geometry) continue;
		const key = `${name}|${code}`;
		let g = groups.get(key);
		if (!g) {
			g = { street: { name, buurt: data.buurtNames.get(code) ?? name, points: [] }, order: [] };
			groups.set(key, g);
		}
		g.street.points.push(f.geometry.coordinates);
		g.order.push(parseInt(f.properties.MASTNUMMER ?? '', 10) || 0);
	}
	return [...groups.values()].map(({ street, order }) => {
		const idx = order.map((_, i) => i).sort((a, b) => order[a] - order[b]);
		return { ...street, points: idx.map((i) => street.points[i]) };
	});
}

export interface UtrechtFixtureOptions {
	meldingen: number;
	initiatieven?: number;
	projecten?: number;
	bijeenkomsten?: number;
	seed?: number;
	/** Dates are relative to this moment; default today 00:00 UTC. */
	now?: Date;
	tax?: Taxonomy;
	/** Reporters' e-mail domain (a marker tests look for in public responses). */
	contactDomain?: string;
}

/**
 * The items, in memory. Pure apart from the taxonomy default; a million meldingen take a few
 * seconds.
 */
export function generateUtrechtFixtures(
	data: UtrechtData,
	opts: UtrechtFixtureOptions
): GeneratedItems {
	const seed = opts.seed ?? 30_0344;
	const streets = utrechtStreets(data);
	const rand = prng(seed ^ 0x5eed);
	// Sensitive meldingen clustered in distinct buurten: a few above the publication threshold,
	// a few below. Scaled with the size of the set so large sets keep the same shape.
	const scale = Math.max(1, opts.meldingen / 3000);
	const counts = [9, 6, 5, 4, 3, 2, 1, 1];
	const sensitive: { street: Street; count: number; category: string }[] = [];
	const usedBuurten = new Set<string>();
	for (let tries = 0; sensitive.length < counts.length && tries < 10_000; tries++) {
		const street = streets[Math.floor(rand() * streets.length)];
		if (usedBuurten.has(street.buurt)) continue;
		usedBuurten.add(street.buurt);
		const k = sensitive.length;
		sensitive.push({
			street,
			count: Math.round(counts[k] * scale),
			category: k % 2 ? 'overlast-personen' : 'woonoverlast'
		});
	}
	const tax = opts.tax ?? taxonomy();
	return generateItems({
		seed,
		now: opts.now ?? new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z'),
		tax,
		streets,
		meldingen: opts.meldingen,
		initiatieven: opts.initiatieven ?? 80,
		projecten: opts.projecten ?? 40,
		bijeenkomsten: opts.bijeenkomsten ?? 60,
		sensitive: sensitive.filter((s) => tax.categories.some((c) => c.id === s.category)),
		contactDomain: opts.contactDomain ?? 'melder.invalid'
	});
}

/** Generates and writes the set; the Utrecht areas must be in the store already. */
export async function writeUtrechtFixtures(
	db: Db,
	opts: UtrechtFixtureOptions & {
		data?: UtrechtData;
		onProgress?: (done: number, total: number) => void;
	}
): Promise<{ generated: number; written: number }> {
	const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM area');
	if (n === 0) {
		throw new AppError(msg('errors.demo.noAreas'));
	}
	const tax = opts.tax ?? taxonomy();
	const generated = generateUtrechtFixtures(opts.data ?? readUtrechtData(), { ...opts, tax });
	const total = generated.items.length;
	const written = await writeGenerated(db, generated, tax, 'fixtures:utrecht', (done) =>
		opts.onProgress?.(done, total)
	);
	// Every wijk gets a wijkagenda whose actions link to these items; no items are added.
	await seedAgendas(db, 'fixtures:utrecht', { now: opts.now });
	return { generated: total, written };
}
