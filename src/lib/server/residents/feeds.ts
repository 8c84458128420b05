import { Feed } from 'feed';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { LAYER_LABELS, statusDef, type Layer } from '../../domain/layers.ts';
import type { Sql } from '../db/types.ts';
import { PUBLIC } from '../items/read.ts';

/** What a feed follows: an area at some level, a theme, or a circle around a point. */
export type FeedScope =
	| { kind: 'area'; level: string; code: string; name: string }
	| { kind: 'theme'; id: string; name: string }
	| { kind: 'point'; lon: number; lat: number; radius: number }
	| { kind: 'item'; id: number; title: string };

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
}

const MAX = 100;

function scopeWhere(scope: FeedScope, params: unknown[]): string {
	const p = (v: unknown) => `$${params.push(v)}`;
	switch (scope.kind) {
		case 'area':
			return `i.areas @> ${p(JSON.stringify({ [scope.level]: scope.code }))}::jsonb`;
		case 'theme':
			return `(i.theme = ${p(scope.id)} OR ${p(scope.id)} = ANY(i.themes))`;
		case 'item':
			return `i.id = ${p(scope.id)}`;
		case 'point':
			return `ST_DWithin(i.geom::geography, ST_SetSRID(ST_MakePoint(${p(scope.lon)}, ${p(scope.lat)}), 4326)::geography, ${p(scope.radius)})`;
	}
}

export function scopeTitle(scope: FeedScope): string {
	if (scope.kind === 'area') return `Wijkkaart — ${scope.name} (${scope.level})`;
	if (scope.kind === 'theme') return `Wijkkaart — thema ${scope.name}`;
	if (scope.kind === 'item') return `Wijkkaart — ${scope.title}`;
	return `Wijkkaart — binnen ${scope.radius} m van ${scope.lat.toFixed(5)}, ${scope.lon.toFixed(5)}`;
}

const statusName = (layer: string, s: string | null) => (s ? (statusDef(layer as Layer, s)?.nl ?? s) : '');

/**
 * New items, status changes with their public text, and upcoming meetings in the scope; only
 * public items (the PUBLIC filter), newest first.
 */
export async function feedEntries(db: Sql, scope: FeedScope): Promise<FeedEntry[]> {
	const params: unknown[] = [];
	const where = `${PUBLIC} AND ${scopeWhere(scope, params)}`;
	const rows = await db.query<{
		kind: 'nieuw' | 'status' | 'bijeenkomst';
		key: string | number;
		item_id: string | number;
		layer: string;
		title: string;
		text: string;
		date: Date | string;
		starts_at: Date | string | null;
		ends_at: Date | string | null;
		status_from: string | null;
		status_to: string | null;
		location: string | null;
	}>(
		`(SELECT 'nieuw' AS kind, i.id AS key, i.id AS item_id, i.layer, i.title, i.description AS text, i.created_at AS date,
		         i.starts_at, i.ends_at, NULL::text AS status_from, i.status AS status_to, i.details->>'location' AS location
		  FROM item i WHERE ${where} AND i.layer <> 'bijeenkomsten' ORDER BY i.created_at DESC LIMIT ${MAX})
		 UNION ALL
		 (SELECT 'status', u.id, i.id, i.layer, i.title, u.public_text, u.at, i.starts_at, i.ends_at, u.status_from, u.status_to, NULL
		  FROM item_update u JOIN item i ON i.id = u.item_id WHERE ${where} ORDER BY u.at DESC LIMIT ${MAX})
		 UNION ALL
		 (SELECT 'bijeenkomst', i.id, i.id, i.layer, i.title, i.description, i.created_at, i.starts_at, i.ends_at, NULL, i.status,
		         i.details->>'location'
		  FROM item i WHERE ${where} AND i.layer = 'bijeenkomsten' AND i.starts_at >= now() - interval '1 day'
		  ORDER BY i.starts_at LIMIT ${MAX})`,
		params
	);
	return rows
		.map((r) => {
			const layer = r.layer;
			const label = LAYER_LABELS[layer as Layer]?.nl ?? layer;
			let title = r.title;
			if (r.kind === 'status') title = `${r.title}: ${r.status_from ? `${statusName(layer, r.status_from)} → ` : ''}${statusName(layer, r.status_to)}`;
			if (r.kind === 'nieuw') title = `Nieuw (${label.toLowerCase()}): ${r.title}`;
			if (r.kind === 'bijeenkomst') title = `Bijeenkomst: ${r.title}`;
			return {
				id: `${r.kind}-${r.key}`,
				itemId: Number(r.item_id),
				kind: r.kind,
				title,
				text: r.text,
				date: new Date(r.date),
				startsAt: r.starts_at ? new Date(r.starts_at) : null,
				endsAt: r.ends_at ? new Date(r.ends_at) : null,
				layer,
				location: r.location
			};
		})
		.sort((a, b) => b.date.getTime() - a.date.getTime() || a.id.localeCompare(b.id))
		.slice(0, MAX * 2);
}

/**
 * The feed package marks titles and summaries type="html"; escaping makes readers show what
 * residents and staff typed as text, never as markup.
 */
const asText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function atomFeed(scope: FeedScope, entries: FeedEntry[], origin: string, selfUrl: string): string {
	const feed = new Feed({
		id: selfUrl,
		title: scopeTitle(scope),
		link: origin,
		language: 'nl',
		updated: entries[0]?.date ?? new Date(0),
		feedLinks: { atom: selfUrl },
		generator: 'Wijkkaart',
		copyright: 'Gemeente — open data'
	});
	for (const e of entries) {
		const link = `${origin}/item/${e.itemId}`;
		feed.addItem({
			id: `${link}#${e.id}`,
			title: asText(e.title),
			link,
			date: e.date,
			description: asText(e.kind === 'bijeenkomst' && e.startsAt ? `${fmt(e.startsAt)}${e.location ? `, ${e.location}` : ''}. ${e.text}` : e.text),
			category: [{ name: e.kind, term: e.kind }]
		});
	}
	return feed.atom1();
}

const fmt = (d: Date) =>
	new Intl.DateTimeFormat('nl-NL', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(d);

/** Meetings as calendar events; status changes and new items stay in the Atom feed. */
export function icalFeed(scope: FeedScope, entries: FeedEntry[], origin: string): string {
	const cal = ical({
		name: scopeTitle(scope),
		prodId: { company: 'Wijkkaart', product: 'wijkkaart', language: 'NL' },
		// Times in UTC: exact in every calendar, with no VTIMEZONE block to get wrong.
		method: ICalCalendarMethod.PUBLISH
	});
	for (const e of entries) {
		if (e.kind !== 'bijeenkomst' || !e.startsAt) continue;
		cal.createEvent({
			id: `wijkkaart-item-${e.itemId}@${new URL(origin).host}`,
			start: e.startsAt,
			end: e.endsAt ?? new Date(e.startsAt.getTime() + 60 * 60 * 1000),
			summary: e.title.replace(/^Bijeenkomst: /, ''),
			description: e.text,
			location: e.location ?? undefined,
			url: `${origin}/item/${e.itemId}`
		});
	}
	return cal.toString();
}
