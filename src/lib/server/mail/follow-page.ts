import { listLevels } from '../areas.ts';
import type { AppError } from '../../domain/errors.ts';
import type { Sql } from '../db/types.ts';
import { scopeFor, pointScope } from '../residents/feed-http.ts';
import type { FeedScope } from '../residents/feeds.ts';
import { taxonomy } from '../items/taxonomy.ts';

/**
 * The "Volg" page's subject: ?soort=<area level|thema>&code=… or ?soort=punt&lat&lon&r, read
 * with the feeds' own rules (the e-mail follows exactly what the feed shows).
 */
export async function followScope(
	db: Sql,
	params: URLSearchParams
): Promise<FeedScope | AppError | null> {
	const kind = params.get('soort')?.trim();
	if (!kind) return null;
	if (kind === 'punt') return pointScope(params);
	const code = params.get('code')?.trim();
	if (!code || kind === 'item') return null;
	return scopeFor(db, kind, code);
}

/** Query string and feed path for a scope, to link the Atom and iCal versions beside the e-mail. */
export function scopeLinks(scope: FeedScope): {
	feedPath: string;
	feedQuery: string;
	fields: Record<string, string>;
} {
	switch (scope.kind) {
		case 'point': {
			const fields = {
				soort: 'punt',
				lat: scope.lat.toFixed(6),
				lon: scope.lon.toFixed(6),
				r: String(scope.radius)
			};
			return {
				feedPath: '/feeds/punt',
				feedQuery: `lat=${fields.lat}&lon=${fields.lon}&r=${fields.r}`,
				fields
			};
		}
		case 'theme':
			return {
				feedPath: `/feeds/thema/${encodeURIComponent(scope.id)}`,
				feedQuery: '',
				fields: { soort: 'thema', code: scope.id }
			};
		case 'area':
			return {
				feedPath: `/feeds/${encodeURIComponent(scope.level)}/${encodeURIComponent(scope.code)}`,
				feedQuery: '',
				fields: { soort: scope.level, code: scope.code }
			};
		case 'item':
			return { feedPath: `/feeds/item/${scope.id}`, feedQuery: '', fields: {} };
	}
}

/** Choices for the page without a subject: every area by level, and the themes. */
export async function followChoices(db: Sql, lang: 'nl' | 'en') {
	const levels = await listLevels(db);
	const areas = await db.query<{ level: string; code: string; name: string }>(
		`SELECT level, code, name FROM area ORDER BY name, code`
	);
	return {
		levels: levels.map((l) => ({
			name: l.name,
			areas: areas.filter((a) => a.level === l.name).map((a) => ({ code: a.code, name: a.name }))
		})),
		themes: taxonomy().themes.map((t) => ({ id: t.id, label: t[lang] }))
	};
}
