import { config } from '../config.ts';
import type { Sql } from '../db/types.ts';
import { searchAddresses, type AddressHit } from './addresses.ts';
import { searchLocatieserver } from './locatieserver.ts';

/** The client a rate limit counts for: the socket's address as the adapter sees it. */
export function clientOf(event: { getClientAddress(): string }): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'onbekend';
	}
}

/** Local index first; PDOK only when configured, for what the local index did not find. */
export async function search(db: Sql, q: string): Promise<AddressHit[]> {
	const local = await searchAddresses(db, q);
	const url = config().locatieserverUrl;
	if (!url) return local;
	const remote = await searchLocatieserver(url, q);
	const seen = new Set(local.map((h) => h.label.toLowerCase()));
	return [...local, ...remote.filter((h) => !seen.has(h.label.toLowerCase()))].slice(0, 15);
}
