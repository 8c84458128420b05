import bbox from '@turf/bbox';
import type { Feature, FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import {
	ACTION_STATUS_COLORS,
	agendaProgress,
	ambitionProgress,
	changedItemKey,
	changesSince,
	goalProgress,
	type Agenda,
	type ChangeSummary,
	type ItemChanges
} from '../../domain/agenda.ts';
import type { Sql } from '../db/types.ts';
import { itemChangesSince } from './item-changes.ts';
import { meetings, type Meeting } from './meetings.ts';
import { getAgenda } from './store.ts';

export type Bounds = [[number, number], [number, number]];
export type OverlayFeature = Feature<Geometry, { key: string; color: string; kind: string }>;

export interface AgendaView {
	agenda: Agenda;
	progress: number | null;
	ambitionProgress: Record<number, number | null>;
	goalProgress: Record<number, number | null>;
	/** Map shapes: actions (key a<id>) and the public items they link to (key i<id>). */
	overlay: FeatureCollection<Geometry, { key: string; color: string; kind: string }>;
	/** Where each action is (key → bounds), for flying the map there. */
	places: Record<string, Bounds>;
	linked: Record<number, { id: number; title: string; layer: string }>;
	meetings: Meeting[];
	contacts: { role: string; name: string; email: string | null; url: string | null }[];
	since: string;
	changes: ChangeSummary;
	/** Items of the wijk that appeared, changed status or were answered since then. */
	itemChanges: ItemChanges;
	/** The wijk outline, simplified, for the printed static maps. */
	outline: MultiPolygon;
}

const RELATED = '#44505c';
/** Items changed since the previous meeting: the portal's focus orange, apart from every status colour. */
const CHANGED = '#e17000';

const toBounds = (g: Geometry): Bounds => {
	const [w, s, e, n] = bbox(g);
	return [
		[w, s],
		[e, n]
	];
};

/**
 * Everything the ward page and the meeting mode show. `sinds` (YYYY-MM-DD) is the previous
 * wijkoverleg; without it, the last meeting held in the wijk, else six weeks ago.
 */
export async function agendaView(
	db: Sql,
	wijk: string,
	sinds: string | null,
	now = new Date()
): Promise<AgendaView | null> {
	const agenda = await getAgenda(db, wijk);
	if (!agenda) return null;
	const actions = agenda.ambitions.flatMap((m) => m.actions);
	const byBuurten = actions.filter((a) => !a.geometry && a.buurten.length);
	const [shapes, items, outline, upcoming, staff, previous] = await Promise.all([
		db.query<{ id: number; g: string }>(
			`SELECT x.id, ST_AsGeoJSON(ST_Union(a.geom, overlay_grid()), 6) AS g
			 FROM unnest($1::int[], $2::text[]) AS x(id, codes)
			 JOIN area a ON a.code = ANY(string_to_array(x.codes, ' ')) AND a.parent = $3
			 GROUP BY x.id`,
			[byBuurten.map((a) => a.id), byBuurten.map((a) => a.buurten.join(' ')), wijk],
			{ purpose: 'agendaUnion' }
		),
		db.query<{ id: number; title: string; layer: string; g: string }>(
			`SELECT id, title, layer, ST_AsGeoJSON(geom, 6) AS g FROM public_item
			 WHERE id = ANY($1::bigint[])`,
			[[...new Set(actions.flatMap((a) => a.items))]]
		),
		db.query<{ g: string }>(
			`SELECT ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(geom, 0.00005)), 5) AS g FROM area WHERE level = 'wijk' AND code = $1`,
			[wijk]
		),
		meetings(db, { wijk, from: now, limit: 6 }),
		// Names only: a sign-in address is never public (issue 20 §5); the wijk's functional contact
		// comes from the agenda's configured contacts.
		db.query<{ name: string }>(
			`SELECT u.name FROM staff_user u JOIN staff_user_wijk w ON w.user_id = u.id
			 WHERE w.wijk = $1 AND u.role = 'wijkregisseur' AND u.disabled_at IS NULL ORDER BY u.name`,
			[wijk]
		),
		db.query<{ at: Date }>(
			`SELECT max(starts_at) AS at FROM public_item WHERE layer = 'bijeenkomsten' AND areas->>'wijk' = $1 AND starts_at < $2
			   AND status <> 'geannuleerd'`,
			[wijk, now]
		)
	]);
	const buurtShape = new Map(shapes.map((s) => [s.id, JSON.parse(s.g) as Geometry]));
	const features: OverlayFeature[] = [];
	const places: Record<string, Bounds> = {};
	for (const a of actions) {
		const g = a.geometry ?? buurtShape.get(a.id!);
		if (!g) continue;
		features.push({
			type: 'Feature',
			geometry: g,
			properties: { key: `a${a.id}`, color: ACTION_STATUS_COLORS[a.status], kind: 'action' }
		});
		places[`a${a.id}`] = toBounds(g);
	}
	const linked: AgendaView['linked'] = {};
	for (const it of items) {
		linked[it.id] = { id: it.id, title: it.title, layer: it.layer };
		const g = JSON.parse(it.g) as Geometry;
		// An action placed at its linked item already shows there; draw only the others.
		if (
			!actions.some(
				(a) => a.items.includes(it.id) && JSON.stringify(a.geometry) === JSON.stringify(g)
			)
		) {
			features.push({
				type: 'Feature',
				geometry: g,
				properties: { key: `i${it.id}`, color: RELATED, kind: 'related' }
			});
		}
	}
	for (const m of upcoming) {
		const key = `m${m.id}`;
		features.push({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [m.lon, m.lat] },
			properties: { key, color: '#6b2c91', kind: 'meeting' }
		});
		places[key] = [
			[m.lon, m.lat],
			[m.lon, m.lat]
		];
	}
	const sinceDate =
		sinds && /^\d{4}-\d{2}-\d{2}$/.test(sinds) && !Number.isNaN(Date.parse(sinds))
			? new Date(`${sinds}T00:00:00Z`)
			: previous[0]?.at
				? new Date(previous[0].at)
				: new Date(now.getTime() - 42 * 86_400_000);
	// The items changed since then, each drawn as its own overlay shape: a "since" slide
	// highlights those it lists (slides.ts, sinceKeys).
	const itemChanges = await itemChangesSince(db, wijk, sinceDate, now);
	const changedIds = [
		...new Set(
			[...itemChanges.added, ...itemChanges.statusChanged, ...itemChanges.answered].map((c) => c.id)
		)
	];
	const changedShapes = changedIds.length
		? await db.query<{ id: number; g: string }>(
				`SELECT id::int, ST_AsGeoJSON(geom, 6) AS g FROM public_item WHERE id = ANY($1::bigint[])`,
				[changedIds]
			)
		: [];
	for (const r of changedShapes) {
		const g = JSON.parse(r.g) as Geometry;
		const key = changedItemKey(r.id);
		features.push({
			type: 'Feature',
			geometry: g,
			properties: { key, color: CHANGED, kind: 'changed' }
		});
		places[key] = toBounds(g);
	}
	return {
		agenda,
		progress: agendaProgress(agenda),
		ambitionProgress: Object.fromEntries(agenda.ambitions.map((m) => [m.id!, ambitionProgress(m)])),
		goalProgress: Object.fromEntries(
			agenda.ambitions.flatMap((m) => m.goals.map((g) => [g.id!, goalProgress(g)]))
		),
		overlay: { type: 'FeatureCollection', features },
		places,
		linked,
		meetings: upcoming,
		contacts: publicContacts(agenda.contacts, staff),
		since: sinceDate.toISOString().slice(0, 10),
		changes: changesSince(agenda, sinceDate, now),
		itemChanges,
		outline: JSON.parse(outline[0].g) as MultiPolygon
	};
}

/** Bounds around several places (e.g. all actions of an ambition). */
export function unionBounds(list: Bounds[]): Bounds | null {
	if (!list.length) return null;
	return [
		[Math.min(...list.map((b) => b[0][0])), Math.min(...list.map((b) => b[0][1]))],
		[Math.max(...list.map((b) => b[1][0])), Math.max(...list.map((b) => b[1][1]))]
	];
}

/**
 * The contacts a wijk page shows: the configured ones (functional addresses such as the
 * wijkbureau's). A wijkregisseur with an account is named only when no wijkregisseur contact is
 * configured, and then without an address: login e-mail addresses never leave the staff side.
 */
export function publicContacts(
	configured: AgendaView['contacts'],
	staff: { name: string }[]
): AgendaView['contacts'] {
	if (configured.some((c) => c.role === 'wijkregisseur')) return configured;
	const named = staff
		.filter((s) => s.name.trim())
		.map((s) => ({ role: 'wijkregisseur', name: s.name.trim(), email: null, url: null }));
	return [...named, ...configured];
}
