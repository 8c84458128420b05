import { publicOrigin } from '../config.ts';
import { parseRadius } from '../../domain/nearby.ts';
import type { Sql } from '../db/types.ts';
import { jsonError } from '../items/http.ts';
import { PUBLIC } from '../items/read.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { atomFeed, feedEntries, icalFeed, type FeedScope } from './feeds.ts';

/** Splits "<code>.atom" / "<code>.ics"; null for anything else. */
export function feedFile(file: string): { name: string; format: 'atom' | 'ics' } | null {
	const m = /^(.{1,64})\.(atom|ics)$/.exec(file);
	return m ? { name: m[1], format: m[2] as 'atom' | 'ics' } : null;
}

export async function scopeFor(db: Sql, kind: string, name: string): Promise<FeedScope | string> {
	if (kind === 'thema') {
		const t = taxonomy().themes.find((x) => x.id === name);
		return t ? { kind: 'theme', id: t.id, name: t.nl } : `Onbekend thema "${name}".`;
	}
	if (kind === 'item') {
		const [i] = /^\d{1,15}$/.test(name)
			? await db.query<{ title: string }>(`SELECT i.title FROM item i WHERE i.id = $1 AND ${PUBLIC}`, [Number(name)])
			: [];
		return i ? { kind: 'item', id: Number(name), title: i.title } : `Item ${name} bestaat niet of is niet openbaar.`;
	}
	const [a] = await db.query<{ level: string; code: string; name: string }>('SELECT level, code, name FROM area WHERE level = $1 AND code = $2', [
		kind,
		name
	]);
	return a ? { kind: 'area', ...a } : `Er is geen ${kind} met code "${name}".`;
}

export function pointScope(params: URLSearchParams): FeedScope | string {
	const lat = Number(params.get('lat'));
	const lon = Number(params.get('lon'));
	if (!params.get('lat') || !params.get('lon') || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
		return 'Geef lat en lon (WGS84) voor de plek die u wilt volgen.';
	}
	const radius = parseRadius(params.get('r'));
	if (radius === null) return 'Kies een straal r van 250, 500 of 1000 meter.';
	return { kind: 'point', lat, lon, radius };
}

export async function feedResponse(db: Sql, scope: FeedScope | string, format: 'atom' | 'ics', url: URL): Promise<Response> {
	if (typeof scope === 'string') return jsonError(scope.startsWith('Geef') || scope.startsWith('Kies') ? 400 : 404, scope);
	const entries = await feedEntries(db, scope);
	const body = format === 'atom' ? atomFeed(scope, entries, publicOrigin(url), url.href) : icalFeed(scope, entries, publicOrigin(url));
	return new Response(body, {
		headers: {
			'content-type': format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'text/calendar; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
}
