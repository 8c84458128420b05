/**
 * What a resident types in the search box, and how matches are ranked. Pure: the store finds
 * candidates (prefix and trigram match), this orders them the way a person expects.
 */
export interface AddressQuery {
	/** Normalised street or place text, '' when the query was only a postcode. */
	text: string;
	houseNumber: string | null;
	/** 1234AB, when the query holds a (full or 4-digit) postcode. */
	postcode: string | null;
}

/** Lower case, accents removed, punctuation to spaces: "Oudegracht  t/o" → "oudegracht t o". */
export function normaliseText(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

/** Upper case without space, or null when it is no Dutch postcode. */
export function normalisePostcode(s: string | null | undefined): string | null {
	const m = /^\s*([1-9][0-9]{3})\s*([a-zA-Z]{2})\s*$/.exec(s ?? '');
	return m ? `${m[1]}${m[2].toUpperCase()}` : null;
}

export function parseAddressQuery(raw: string): AddressQuery {
	let rest = raw.trim();
	let postcode: string | null = null;
	const pc = /\b([1-9][0-9]{3})\s?([a-zA-Z]{2})\b/.exec(rest);
	if (pc) {
		postcode = `${pc[1]}${pc[2].toUpperCase()}`;
		rest = (rest.slice(0, pc.index) + ' ' + rest.slice(pc.index + pc[0].length)).trim();
	}
	let houseNumber: string | null = null;
	// "Oudegracht 12", "Oudegracht 12a", "Oudegracht 12-bis"; a number alone after a postcode too.
	const hn = /(?:^|\s)(\d{1,5})\s?([a-zA-Z]{0,4})(?:[-\s]\S*)?$/.exec(rest);
	if (hn && (rest.slice(0, hn.index).trim() !== '' || postcode)) {
		houseNumber = `${hn[1]}${hn[2].toLowerCase()}`;
		rest = rest.slice(0, hn.index).trim();
	}
	return { text: normaliseText(rest.replace(/,/g, ' ')), houseNumber, postcode };
}

export interface StreetCandidate {
	/** Normalised name. */
	norm: string;
	/** pg_trgm similarity between the query and the name, 0…1. */
	similarity: number;
}

/**
 * Score of a name against the query, higher is better: exact, then prefix of the name, then
 * prefix of one of its words ("gracht" in "Oudegracht" does not count, "oudegr" does), then
 * trigram similarity. Shorter names win ties, so "Oudegracht" ranks above
 * "Oudegracht aan de Werf" for "oudegr".
 */
export function scoreName(query: string, c: StreetCandidate): number {
	if (!query) return 0;
	let base: number;
	if (c.norm === query) base = 4;
	else if (c.norm.startsWith(query)) base = 3;
	else if (c.norm.split(' ').some((w) => w.startsWith(query))) base = 2;
	else if (c.norm.replace(/ /g, '').startsWith(query.replace(/ /g, ''))) base = 2;
	else base = c.similarity;
	return base - Math.min(c.norm.length, 100) / 1000;
}

export function rankNames<T extends StreetCandidate>(
	query: string,
	candidates: T[],
	minSimilarity = 0.2
): T[] {
	return candidates
		.map((c) => ({ c, s: scoreName(query, c) }))
		.filter(({ s }) => s >= minSimilarity - 0.1)
		.sort((a, b) => b.s - a.s || a.c.norm.localeCompare(b.c.norm))
		.map(({ c }) => c);
}
