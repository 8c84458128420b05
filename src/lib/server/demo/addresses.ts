import type { FeatureCollection, MultiPolygon, Position } from 'geojson';
import { insideMultiPolygon } from '../../geo/point-in-polygon.ts';
import type { AddressRecord } from '../residents/addresses.ts';
import { prng } from './prng.ts';

const STEMS = ['Linden', 'Eiken', 'Beuken', 'Wilgen', 'Esdoorn', 'Vlier', 'Hazelaar', 'Meidoorn', 'Populier', 'Iepen', 'Sparren', 'Berken'];
const KINDS = ['straat', 'laan', 'weg', 'hof', 'kade', 'singel'];
const PREFIXES = ['', 'Oude ', 'Nieuwe ', 'Korte ', 'Lange '];

/**
 * A small address index for Voorbeeldstad, so the search box works on the demo: per buurt three
 * streets with made-up names (e.g. "Lindenlaan", "Oude Eikenweg"), 12 numbers each, with
 * a postcode per buurt. Every point lies inside its buurt.
 */
export function demoAddresses(buurten: FeatureCollection<MultiPolygon>, seed = 7): AddressRecord[] {
	const rand = prng(seed);
	const out: AddressRecord[] = [];
	// Every street its own name: stem × kind × prefix gives 360 before any repeats.
	let streetNo = 0;
	const nameOf = (n: number) =>
		`${PREFIXES[Math.floor(n / 72) % PREFIXES.length]}${STEMS[n % STEMS.length]}${KINDS[Math.floor(n / 12) % KINDS.length]}${n >= 360 ? ` ${Math.floor(n / 360) + 1}` : ''}`;
	buurten.features.forEach((b, bi) => {
		const geom = b.geometry;
		const ring = geom.coordinates[0][0];
		const xs = ring.map((p) => p[0]);
		const ys = ring.map((p) => p[1]);
		const [minX, minY, maxX, maxY] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
		const postcode = `${3500 + bi}${String.fromCharCode(65 + (bi % 26))}${String.fromCharCode(65 + ((bi * 7) % 26))}`;
		for (let s = 0; s < 3; s++) {
			const name = nameOf(streetNo++);
			let start: Position | null = null;
			for (let tries = 0; tries < 200 && !start; tries++) {
				const p = [minX + rand() * (maxX - minX), minY + rand() * (maxY - minY)];
				if (insideMultiPolygon(p, geom)) start = p;
			}
			if (!start) continue;
			const angle = rand() * Math.PI;
			const step = 0.00025;
			let n = 1;
			for (let i = 0; i < 12; i++) {
				const p = [start[0] + Math.cos(angle) * step * i * 1.6, start[1] + Math.sin(angle) * step * i];
				if (!insideMultiPolygon(p, geom)) break;
				out.push({ street: name, houseNumber: String(n), postcode, woonplaats: 'Voorbeeldstad', lon: p[0], lat: p[1] });
				n += 1;
			}
		}
	});
	return out;
}
