import type { AddressHit } from './addresses.ts';

interface Doc {
	type?: string;
	weergavenaam?: string;
	centroide_ll?: string;
	straatnaam?: string;
	huisnummer?: number | string;
	huisletter?: string;
	postcode?: string;
	woonplaatsnaam?: string;
}

/**
 * Asks PDOK Locatieserver (free search) for addresses, streets and postcodes. Only called when
 * WIJKKAART_LOCATIESERVER_URL is set; a slow or failing server yields nothing, never an error:
 * the local index still answers.
 */
export async function searchLocatieserver(
	baseUrl: string,
	q: string,
	opts: { rows?: number; timeoutMs?: number; fetch?: typeof fetch } = {}
): Promise<AddressHit[]> {
	const url = new URL(`${baseUrl}/free`);
	url.searchParams.set('q', q);
	url.searchParams.set('fq', 'type:(adres OR weg OR postcode)');
	url.searchParams.set('rows', String(opts.rows ?? 5));
	url.searchParams.set(
		'fl',
		'type,weergavenaam,centroide_ll,straatnaam,huisnummer,huisletter,postcode,woonplaatsnaam'
	);
	try {
		const res = await (opts.fetch ?? fetch)(url, {
			signal: AbortSignal.timeout(opts.timeoutMs ?? 2000)
		});
		if (!res.ok) return [];
		const body = (await res.json()) as { response?: { docs?: Doc[] } };
		return (body.response?.docs ?? []).flatMap<AddressHit>((d) => {
			const m = /POINT\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)/.exec(d.centroide_ll ?? '');
			if (!m || !d.weergavenaam) return [];
			return [
				{
					kind: d.type === 'adres' ? 'adres' : d.type === 'postcode' ? 'postcode' : 'straat',
					label: d.weergavenaam,
					lon: Number(m[1]),
					lat: Number(m[2]),
					street: d.straatnaam,
					houseNumber: d.huisnummer !== undefined ? `${d.huisnummer}${d.huisletter ?? ''}` : null,
					postcode: d.postcode ?? null,
					woonplaats: d.woonplaatsnaam ?? null,
					source: 'pdok'
				}
			];
		});
	} catch {
		return [];
	}
}
