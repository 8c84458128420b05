import { parseRadius } from '../../domain/nearby.ts';
import {
	calendarFrom,
	calendarOrigin,
	CALENDAR_MAX_MEETINGS,
	meetingsCalendar
} from '../agenda/ical.ts';
import { meetings } from '../agenda/meetings.ts';
import type { Sql } from '../db/types.ts';
import { conditionalResponse } from '../http/conditional.ts';
import { AppError, msg } from '../../domain/errors.ts';
import { taxonomy } from '../items/taxonomy.ts';
import {
	atomFeed,
	feedEntries,
	feedType,
	parseFeedCursor,
	scopeTitle,
	type FeedScope
} from './feeds.ts';

/** Splits "<code>.atom" / "<code>.ics"; null for anything else. */
export function feedFile(file: string): { name: string; format: 'atom' | 'ics' } | null {
	const m = /^(.{1,64})\.(atom|ics)$/.exec(file);
	return m ? { name: m[1], format: m[2] as 'atom' | 'ics' } : null;
}

export async function scopeFor(db: Sql, kind: string, name: string): Promise<FeedScope | AppError> {
	if (kind === 'thema') {
		const t = taxonomy().themes.find((x) => x.id === name);
		return t
			? { kind: 'theme', id: t.id, name: t.nl }
			: new AppError(msg('errors.feed.theme', { name }), { status: 404 });
	}
	if (kind === 'item') {
		const [i] = /^\d{1,15}$/.test(name)
			? await db.query<{ title: string }>(`SELECT i.title FROM public_item i WHERE i.id = $1`, [
					Number(name)
				])
			: [];
		return i
			? { kind: 'item', id: Number(name), title: i.title }
			: new AppError(msg('errors.feed.item', { name }), { status: 404 });
	}
	const [a] = await db.query<{ level: string; code: string; name: string }>(
		'SELECT level, code, name FROM area WHERE level = $1 AND code = $2',
		[kind, name]
	);
	return a
		? { kind: 'area', ...a }
		: new AppError(msg('errors.feed.area', { kind, name }), { status: 404 });
}

export function pointScope(params: URLSearchParams): FeedScope | AppError {
	const lat = Number(params.get('lat'));
	const lon = Number(params.get('lon'));
	if (
		!params.get('lat') ||
		!params.get('lon') ||
		!Number.isFinite(lat) ||
		!Number.isFinite(lon) ||
		Math.abs(lat) > 90 ||
		Math.abs(lon) > 180
	) {
		return new AppError(msg('errors.feed.point'), { field: 'lat' });
	}
	const radius = parseRadius(params.get('r'));
	if (radius === null) return new AppError(msg('errors.feed.radius'), { field: 'r' });
	return { kind: 'point', lat, lon, radius };
}

/** When anything in the items last changed: every item or item_update write bumps it. */
async function itemsChangedAt(db: Sql): Promise<Date> {
	const [row] = await db.query<{ changed_at: Date }>(
		`SELECT changed_at FROM data_version WHERE name = 'items'`
	);
	return row.changed_at;
}

const ICS_HEADERS = {
	'content-type': 'text/calendar; charset=utf-8',
	'cache-control': 'public, max-age=300'
};

/** A calendar answer (all of the portal's .ics): ETag and 304; its window moves with the clock, so no Last-Modified. */
export function calendarResponse(request: Request, body: string): Response {
	return conditionalResponse(request, body, ICS_HEADERS);
}

/** The feed of a scope; a scope that could not be read is thrown (the route's endpoint() answers it). */
export async function feedResponse(
	db: Sql,
	scope: FeedScope | AppError,
	format: 'atom' | 'ics',
	url: URL,
	request: Request
): Promise<Response> {
	if (scope instanceof AppError) throw scope;
	const { origin } = calendarOrigin(url.origin);
	if (format === 'ics') {
		const list = await meetings(db, { scope, from: calendarFrom(), limit: CALENDAR_MAX_MEETINGS });
		return calendarResponse(
			request,
			meetingsCalendar(list, { requestOrigin: url.origin, name: scopeTitle(scope) })
		);
	}
	const before = parseFeedCursor(url.searchParams.get('before'));
	if (before === 'invalid') throw new AppError(msg('errors.feed.before'), { field: 'before' });
	const changedAt = await itemsChangedAt(db);
	const page = await feedEntries(db, scope, before);
	const self = new URL(url.pathname + url.search, origin);
	return conditionalResponse(
		request,
		atomFeed(scope, page, origin, self),
		{
			'content-type': feedType(request.headers.get('accept')),
			vary: 'Accept',
			'cache-control': 'public, max-age=300'
		},
		changedAt
	);
}
