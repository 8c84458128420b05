import { Feed } from 'feed';
import { LAYER_LABELS, statusDef, type Layer } from '../../domain/layers.ts';
import { xmlChars } from '../../domain/xml.ts';
import { config } from '../config.ts';
import type { Sql } from '../db/types.ts';
import { placeholders } from '../db/params.ts';
import { scopeTitle, scopeWhere, type FeedScope } from './scope.ts';

export type { FeedScope } from './scope.ts';
export { scopeTitle } from './scope.ts';

export interface FeedEntry {
	id: string;
	itemId: number;
	kind: 'nieuw' | 'status' | 'bijeenkomst';
	title: string;
	text: string;
	date: Date;
	startsAt: Date | null;
	endsAt: Date | null;
	layer: string;
	location: string | null;
	/** Where the next page continues after this entry. */
	cursor: string;
}

/** Entries per Atom page; older ones are on the pages the `next` link leads to (RFC 5005). */
export const FEED_PAGE_SIZE = 50;

const KINDS = ['bijeenkomst', 'nieuw', 'status'] as const;

/**
 * A position in the feed's order (date, kind, key; newest first): "<date>~<kind>~<key>". The date
 * keeps PostgreSQL's microseconds, so entries in the same millisecond are never skipped.
 */
export function parseFeedCursor(
	raw: string | null
): { date: string; kind: string; key: string } | null | 'invalid' {
	if (raw === null || raw === '') return null;
	const m =
		/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~(bijeenkomst|nieuw|status)~(\d{1,15})$/.exec(
			raw
		);
	return m ? { date: m[1], kind: m[2], key: m[3] } : 'invalid';
}

const statusName = (layer: string, s: string | null) =>
	s ? (statusDef(layer as Layer, s)?.nl ?? s) : '';
const UTC_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * New items, status changes with their public text, and meetings in the scope; only public items
 * (the view public_item), newest first, one page of FEED_PAGE_SIZE after `before`. Each part is
 * ordered and cut on the same (date, kind, key) order as the merged list, so the page is exact.
 */
export async function feedEntries(
	db: Sql,
	scope: FeedScope,
	before: { date: string; kind: string; key: string } | null = null
): Promise<{ entries: FeedEntry[]; more: boolean }> {
	const params: unknown[] = [];
	const where = scopeWhere(scope, params);
	const limit = FEED_PAGE_SIZE + 1;
	const p = placeholders(params);
	// One set of cursor values, named once, compared in every part of the union.
	const cursor = before
		? `(${p(before.date)}::timestamptz, ${p(before.kind)}::text, ${p(before.key)}::bigint)`
		: '';
	const after = (date: string, kind: string, key: string) =>
		before ? ` AND (${date}, '${kind}'::text, ${key}) < ${cursor}` : '';
	const part = (kind: string, date: string, key: string) =>
		`${after(date, kind, key)} ORDER BY ${date} DESC, ${key} DESC LIMIT ${limit}`;
	const sql = `(SELECT 'nieuw' AS kind, i.id AS key, i.id AS item_id, i.layer, i.title, i.description AS text, i.created_at AS date,
		         i.starts_at, i.ends_at, NULL::text AS status_from, i.status AS status_to, NULL::text AS location
		  FROM public_item i WHERE ${where} AND i.layer <> 'bijeenkomsten'${part('nieuw', 'i.created_at', 'i.id')})
		 UNION ALL
		 (SELECT 'status', u.id, i.id, i.layer, i.title, u.public_text, u.at, i.starts_at, i.ends_at, u.status_from, u.status_to, NULL
		  FROM item_update u JOIN public_item i ON i.id = u.item_id WHERE ${where}${part('status', 'u.at', 'u.id')})
		 UNION ALL
		 (SELECT 'bijeenkomst', i.id, i.id, i.layer, i.title, i.description, i.created_at, i.starts_at, i.ends_at, NULL, i.status,
		         coalesce(i.details->>'venue', i.details->>'location')
		  FROM public_item i WHERE ${where} AND i.layer = 'bijeenkomsten'${part('bijeenkomst', 'i.created_at', 'i.id')})`;
	const rows = await db.query<{
		kind: 'nieuw' | 'status' | 'bijeenkomst';
		key: number;
		item_id: number;
		layer: string;
		title: string;
		text: string;
		date_key: string;
		starts_at: Date | null;
		ends_at: Date | null;
		status_from: string | null;
		status_to: string | null;
		location: string | null;
	}>(
		`SELECT q.*, to_char(q.date AT TIME ZONE 'UTC', ${UTC_US}) AS date_key FROM (${sql}) q`,
		params
	);
	const sorted = rows.sort(
		(a, b) =>
			(a.date_key < b.date_key ? 1 : a.date_key > b.date_key ? -1 : 0) ||
			KINDS.indexOf(b.kind) - KINDS.indexOf(a.kind) ||
			b.key - a.key
	);
	const entries = sorted.slice(0, FEED_PAGE_SIZE).map((r): FeedEntry => {
		const layer = r.layer;
		const label = LAYER_LABELS[layer as Layer]?.nl ?? layer;
		let title = r.title;
		if (r.kind === 'status')
			title = `${r.title}: ${r.status_from ? `${statusName(layer, r.status_from)} → ` : ''}${statusName(layer, r.status_to)}`;
		if (r.kind === 'nieuw') title = `Nieuw (${label.toLowerCase()}): ${r.title}`;
		if (r.kind === 'bijeenkomst')
			title = `${r.status_to === 'geannuleerd' ? 'Geannuleerd — bijeenkomst' : 'Bijeenkomst'}: ${r.title}`;
		return {
			id: `${r.kind}-${r.key}`,
			itemId: r.item_id,
			kind: r.kind,
			title,
			text: r.text ?? '',
			date: new Date(r.date_key),
			startsAt: r.starts_at,
			endsAt: r.ends_at,
			layer,
			location: r.location,
			cursor: `${r.date_key}~${r.kind}~${r.key}`
		};
	});
	return { entries, more: sorted.length > FEED_PAGE_SIZE };
}

/**
 * The feed package marks titles and summaries type="html" inside CDATA; escaping makes readers
 * show what residents and staff typed as text, never as markup, and a "]]>" cannot end the
 * CDATA. xmlChars drops what XML 1.0 does not allow at all.
 */
const asText = (s: string) =>
	xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const fmt = (d: Date) =>
	new Intl.DateTimeFormat('nl-NL', {
		dateStyle: 'full',
		timeStyle: 'short',
		timeZone: 'Europe/Amsterdam'
	}).format(d);

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export const FEED_STYLESHEET = '<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>';

/**
 * The type a feed is served as: Atom for feed readers, and application/xml for a browser that
 * navigates to it (it asks for text/html first), because browsers apply the stylesheet to XML
 * they render but show application/atom+xml as plain text or download it.
 */
export function feedType(accept: string | null): string {
	const wants = (type: string) => {
		const m = new RegExp(
			`(?:^|,)\\s*${type.replace(/[+/]/g, '\\$&')}\\s*(?:;\\s*q=([0-9.]+))?`,
			'i'
		).exec(accept ?? '');
		return m ? Number(m[1] ?? 1) : 0;
	};
	return wants('text/html') > 0 && wants('text/html') >= wants('application/atom+xml')
		? 'application/xml; charset=utf-8'
		: 'application/atom+xml; charset=utf-8';
}

/**
 * One page of an Atom feed with RFC 5005 paging links: `first` always, `next` while older
 * entries exist. `selfUrl` is this page's URL; links keep its query and set `before`.
 */
export function atomFeed(
	scope: FeedScope,
	page: { entries: FeedEntry[]; more: boolean },
	origin: string,
	selfUrl: URL
): string {
	const first = new URL(selfUrl);
	first.searchParams.delete('before');
	const gemeente = config().municipalityName;
	const feed = new Feed({
		id: xmlChars(first.href),
		title: xmlChars(scopeTitle(scope)),
		link: origin,
		language: 'nl',
		updated: page.entries[0]?.date ?? new Date(0),
		feedLinks: { atom: selfUrl.href },
		generator: 'Wijkkaart',
		copyright: 'Gemeente — open data',
		author: {
			name: xmlChars(gemeente ? `Gemeente ${gemeente} (Wijkkaart)` : 'Wijkkaart'),
			link: origin
		}
	});
	for (const e of page.entries) {
		const link = `${origin}/item/${e.itemId}`;
		feed.addItem({
			id: `${link}#${e.id}`,
			title: asText(e.title),
			link,
			date: e.date,
			description: asText(
				e.kind === 'bijeenkomst' && e.startsAt
					? `${fmt(e.startsAt)}${e.location ? `, ${e.location}` : ''}. ${e.text}`
					: e.text
			),
			category: [{ name: e.kind, term: e.kind }]
		});
	}
	const links = [`<link rel="first" href="${attr(first.href)}"/>`];
	if (page.more && page.entries.length) {
		const next = new URL(first);
		next.searchParams.set('before', page.entries[page.entries.length - 1].cursor);
		links.push(`<link rel="next" href="${attr(next.href)}"/>`);
	}
	// The feed package knows no paging links; they go right after the self link. A browser that
	// opens the feed shows it through static/feed.xsl (see feedType); readers ignore the instruction.
	return feed
		.atom1()
		.replace(/^(<\?xml[^>]*\?>)/, `$1\n${FEED_STYLESHEET}`)
		.replace(/(<link rel="self"[^>]*\/>)/, `$1\n    ${links.join('\n    ')}`);
}
