import type { AddressRecord } from '../residents/addresses.ts';
import type { Street } from './item-generator.ts';

/**
 * The demo's address index, made of the streets the demo items lie on: house numbers along
 * each street's points (odd on one side, as Dutch streets number), one postcode per buurt and
 * street. A melding's title names a street that the search box then finds at that place.
 */
export function streetAddresses(streets: Street[]): AddressRecord[] {
	const out: AddressRecord[] = [];
	const buurtIndex = new Map<string, number>();
	streets.forEach((st, si) => {
		if (!buurtIndex.has(st.buurt)) buurtIndex.set(st.buurt, buurtIndex.size);
		const bi = buurtIndex.get(st.buurt)!;
		const postcode = `${3500 + bi}${String.fromCharCode(65 + (si % 26))}${String.fromCharCode(65 + ((si * 7) % 26))}`;
		st.points.forEach((p, i) =>
			out.push({
				street: st.name,
				houseNumber: String(1 + 2 * i),
				postcode,
				woonplaats: 'Voorbeeldstad',
				lon: p[0],
				lat: p[1]
			})
		);
	});
	return out;
}
