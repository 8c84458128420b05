import type { MultiPolygon, Position } from 'geojson';
import type { Db } from '../db/types.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { generateItems, type Street } from './item-generator.ts';
import { INVENTED_STREETS } from './item-texts.ts';
import { prng } from './prng.ts';
import { insideMultiPolygon } from '../../geo/point-in-polygon.ts';
import { writeGenerated } from './write-generated.ts';

export interface DemoItemsOptions {
	/** The moment the demo is "made"; dates are relative to it. Default: today 00:00 UTC. */
	now?: Date;
	seed?: number;
}

/**
 * Fills the store with a believable set of all four layers over whatever areas it holds:
 * invented streets in every buurt, meldingen of all categories (some overdue, sensitive ones
 * piling up in one buurt and scattered in another), initiatives with budgets, projects as
 * points, lines and polygons, meetings past and ahead. Deterministic for a given `now`.
 * Returns the number of items written.
 */
export async function seedDemoItems(
	db: Db,
	opts: DemoItemsOptions = {}
): Promise<{ items: number; streets: Street[] }> {
	const now = opts.now ?? new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
	const seed = opts.seed ?? 20240611;
	const areas = await db.query<{ code: string; name: string; geom: string }>(
		`SELECT a.code, a.name, ST_AsGeoJSON(ST_Multi(a.geom), 6) AS geom FROM area a
		 WHERE a.level = (SELECT name FROM area_level ORDER BY depth DESC LIMIT 1) ORDER BY a.code`
	);
	if (areas.length === 0)
		throw new Error('er staan nog geen gebieden in de database; importeer eerst wijken en buurten');
	const rand = prng(seed);
	const streets: Street[] = [];
	let s = 0;
	for (const a of areas) {
		const geom = JSON.parse(a.geom) as MultiPolygon;
		for (let k = 0; k < 3; k++) {
			const points = streetInside(rand, geom);
			if (points) streets.push({ name: inventedStreet(s++), buurt: a.name, points });
		}
	}
	const tax = taxonomy();
	const perBuurt = Math.max(1, areas.length);
	// Sensitive meldingen: enough in one buurt to be published as a count, too few in another.
	const sensitive = [
		{ street: streets[0], count: 7, category: 'woonoverlast' },
		{ street: streets[streets.length - 1], count: 3, category: 'woonoverlast' },
		{ street: streets[Math.floor(streets.length / 2)], count: 5, category: 'overlast-personen' }
	].filter((s) => tax.categories.some((c) => c.id === s.category));
	const generated = generateItems({
		seed,
		now,
		tax,
		streets,
		meldingen: 12 * perBuurt,
		initiatieven: Math.ceil(1.2 * perBuurt),
		projecten: Math.ceil(0.5 * perBuurt),
		bijeenkomsten: Math.ceil(0.8 * perBuurt),
		sensitive,
		contactDomain: 'voorbeeld.invalid'
	});
	// The streets go back to the caller: the demo's address index is made of these same streets,
	// so every street a melding names can be searched and found where the melding is.
	return { items: await writeGenerated(db, generated, tax, 'demo'), streets };
}

/** A town has each street name once: after the list runs out, "Korte …", "Lange …" and so on. */
function inventedStreet(n: number): string {
	const base = INVENTED_STREETS[n % INVENTED_STREETS.length];
	const round = Math.floor(n / INVENTED_STREETS.length);
	return `${['', 'Korte ', 'Lange ', 'Oude ', 'Achter '][round % 5]}${base}${round >= 5 ? ` ${Math.floor(round / 5) + 1}` : ''}`;
}

/** A short, gently bending street that stays inside the area, or null if none fits. */
function streetInside(rand: () => number, geom: MultiPolygon): Position[] | null {
	const ring = geom.coordinates[0][0];
	const xs = ring.map((p) => p[0]);
	const ys = ring.map((p) => p[1]);
	const [minX, maxX, minY, maxY] = [
		Math.min(...xs),
		Math.max(...xs),
		Math.min(...ys),
		Math.max(...ys)
	];
	for (let tries = 0; tries < 60; tries++) {
		let p: Position = [minX + rand() * (maxX - minX), minY + rand() * (maxY - minY)];
		let heading = rand() * Math.PI * 2;
		const pts: Position[] = [];
		for (let i = 0; i < 10 && insideMultiPolygon(p, geom); i++) {
			pts.push(p);
			heading += (rand() - 0.5) * 0.3;
			// About 35 m between lamp posts.
			p = [p[0] + Math.cos(heading) * 0.0005, p[1] + Math.sin(heading) * 0.0003];
		}
		if (pts.length >= 4) return pts;
	}
	return null;
}
