import { CSV_DEFAULT } from '../../domain/csv.ts';
import type { Feature, Geometry } from 'geojson';
import { LAYER_LABELS, LAYERS, STATUSES, type Layer } from '../../domain/layers.ts';
import { ACTION_STATUSES } from '../../domain/agenda.ts';
import { CURRENT_AGENDAS } from '../agenda/store.ts';
import { listLevels } from '../areas.ts';
import type { Sql } from '../db/types.ts';
import { itemWhere, LIST_COLUMNS, toFeature as itemFeature, type ItemRow } from '../items/read.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { message, OgcError, type Lang } from './messages.ts';
import type { Crs } from './crs.ts';
import type { FeatureParams, Queryable } from './params.ts';
import { municipalityExtent } from '../items/queries.ts';
import { placeholders } from '../db/params.ts';

/**
 * The collections of /ogc: one per item layer, one per area level and the wijkagenda actions.
 * Each comes with a `source`: the SQL of its public features. Item layers read through
 * itemWhere, so they show exactly what /api/items shows (never unpublished, deleted or
 * sensitive items, never contact details).
 */
export interface Collection {
	id: string;
	title: string;
	description: string;
	kind: 'items' | 'areas' | 'actions';
	queryables: Record<string, Queryable>;
	/** Whether `datetime` filters this collection (areas have no time). */
	temporal: boolean;
	source(db: Sql, p: FeatureParams): Promise<Source>;
}

/**
 * The rows of a collection as one SQL relation, paged by `key` (unique, ordered). The properties
 * are read as typed columns, so they come through the store's type parsers like any other read.
 */
export interface Source {
	/** FROM clause (with its alias) that `columns`, `key`, `geom` and `where` refer to. */
	from: string;
	/** The SELECT list of the properties. */
	columns: string;
	/** Unique and ordered: the feature id and the paging key. */
	key: string;
	/** The geometry, SRID 4326. */
	geom: string;
	where: string;
	params: unknown[];
	keyType: 'bigint' | 'text';
	desc: boolean;
	/** A row (with `geometry` as GeoJSON text) as a feature. */
	feature(row: Record<string, unknown>): Feature<Geometry | null>;
}

export const AREA_PREFIX = 'gebied-';
export const ACTIONS_ID = 'wijkagenda-acties';

const p = (params: unknown[], v: unknown) => placeholders(params)(v);

function bboxCondition(params: unknown[], geom: string, f: FeatureParams): string | null {
	if (!f.bbox) return null;
	const [a, b, c, d] = f.bbox.map((v) => p(params, v));
	return `ST_Intersects(${geom}, ST_Transform(ST_MakeEnvelope(${a}, ${b}, ${c}, ${d}, ${p(params, f.bboxCrs.srid)}::int), 4326))`;
}

function layerCollection(layer: Layer, lang: Lang): Collection {
	const themes = taxonomy().themes;
	return {
		id: layer,
		title: LAYER_LABELS[layer][lang],
		description: message(lang, 'layer', {
			layer: LAYER_LABELS[layer][lang].toLowerCase(),
			id: layer
		}),
		kind: 'items',
		temporal: true,
		queryables: {
			theme: {
				type: 'string',
				title: lang === 'en' ? 'Theme' : 'Thema',
				enum: themes.map((t) => t.id)
			},
			status: { type: 'string', title: 'Status', enum: STATUSES[layer].map((s) => s.id) }
		},
		async source(db, f) {
			const { from, where, params } = await itemWhere(db, {
				layers: [layer],
				themes: f.filters.theme ?? [],
				statuses: f.filters.status ?? [],
				area: null,
				bbox: f.bbox,
				bboxSrid: f.bboxCrs.srid,
				from: f.from,
				to: f.to,
				q: null,
				limit: f.limit,
				after: null,
				count: false,
				format: 'geojson',
				all: false,
				dialect: CSV_DEFAULT
			});
			return {
				from,
				columns: LIST_COLUMNS,
				key: 'i.id',
				geom: 'i.geom',
				where,
				params,
				keyType: 'bigint',
				desc: true,
				feature: (row) => itemFeature(row as unknown as ItemRow)
			};
		}
	};
}

function areaCollection(level: string, lang: Lang): Collection {
	return {
		id: `${AREA_PREFIX}${level}`,
		title: `${message(lang, 'areas')}: ${level}`,
		description: message(lang, 'area', { level }),
		kind: 'areas',
		temporal: false,
		queryables: {
			parent: {
				type: 'string',
				title: lang === 'en' ? 'Parent area code' : 'Code van het bovenliggende gebied'
			}
		},
		async source(_db, f) {
			const params: unknown[] = [level];
			const and = ['a.level = $1'];
			const box = bboxCondition(params, 'a.geom', f);
			if (box) and.push(box);
			if (f.filters.parent) and.push(`a.parent = ANY(${p(params, f.filters.parent)}::text[])`);
			return {
				from: 'area a',
				columns: 'a.code, a.name, a.level, a.parent, a.population',
				key: 'a.code',
				geom: 'a.geom',
				where: and.join(' AND '),
				params,
				keyType: 'text',
				desc: false,
				feature: (r) => ({
					type: 'Feature',
					id: r.code as string,
					geometry: JSON.parse(r.geometry as string),
					properties: {
						code: r.code,
						name: r.name,
						level: r.level,
						parent: r.parent,
						population: r.population
					}
				})
			};
		}
	};
}

function actionsCollection(lang: Lang): Collection {
	return {
		id: ACTIONS_ID,
		title: message(lang, 'actions'),
		description: message(lang, 'actionsDescription'),
		kind: 'actions',
		temporal: true,
		queryables: {
			theme: {
				type: 'string',
				title: lang === 'en' ? 'Theme of the ambition' : 'Thema van de ambitie',
				enum: taxonomy().themes.map((t) => t.id)
			},
			status: { type: 'string', title: 'Status', enum: [...ACTION_STATUSES] },
			wijk: { type: 'string', title: lang === 'en' ? 'Ward code' : 'Wijkcode' }
		},
		async source(_db, f) {
			const params: unknown[] = [];
			const and: string[] = [`ag.id IN (${CURRENT_AGENDAS})`];
			if (f.filters.theme) and.push(`m.theme = ANY(${p(params, f.filters.theme)}::text[])`);
			if (f.filters.status) and.push(`a.status = ANY(${p(params, f.filters.status)}::text[])`);
			if (f.filters.wijk) and.push(`ag.wijk = ANY(${p(params, f.filters.wijk)}::text[])`);
			// An action's time is its planning (open ends unbounded); it matches when that overlaps the filter.
			if (f.from)
				and.push(
					`coalesce(a.planned_end, a.planned_start) >= ${p(params, f.from.toISOString())}::timestamptz::date`
				);
			if (f.to) and.push(`a.planned_start < ${p(params, f.to.toISOString())}::timestamptz`);
			const box = bboxCondition(params, 'x.g', f);
			if (box) and.push(box);
			return {
				// Without a shape of its own an action is where its buurten are, as on the wijk page.
				from: `action a JOIN ambition m ON m.id = a.ambition_id JOIN agenda ag ON ag.id = m.agenda_id
				       CROSS JOIN LATERAL (SELECT coalesce(a.geom, (SELECT ST_Union(b.geom) FROM area b WHERE b.code = ANY(a.buurten) AND b.parent = ag.wijk)) AS g) x`,
				columns: `a.id, a.title, a.description, a.owner, a.status, a.progress, a.budget,
				          a.planned_start, a.planned_end, a.actual_start, a.actual_end, m.theme, m.title AS ambition,
				          ag.wijk, ag.period_start, ag.period_end, a.updated_at`,
				key: 'a.id',
				geom: 'x.g',
				where: and.join(' AND '),
				params,
				keyType: 'bigint',
				desc: false,
				feature: (r) => ({
					type: 'Feature',
					id: r.id as number,
					geometry: r.geometry ? JSON.parse(r.geometry as string) : null,
					properties: {
						title: r.title,
						description: r.description,
						owner: r.owner,
						status: r.status,
						progress: r.progress,
						budget: r.budget,
						plannedStart: r.planned_start,
						plannedEnd: r.planned_end,
						actualStart: r.actual_start,
						actualEnd: r.actual_end,
						theme: r.theme,
						ambition: r.ambition,
						wijk: r.wijk,
						period: `${r.period_start}-${r.period_end}`,
						updatedAt: (r.updated_at as Date).toISOString()
					}
				})
			};
		}
	};
}

export async function listCollections(db: Sql, lang: Lang): Promise<Collection[]> {
	const levels = await listLevels(db);
	return [
		...LAYERS.map((l) => layerCollection(l, lang)),
		...levels.map((l) => areaCollection(l.name, lang)),
		actionsCollection(lang)
	];
}

export async function findCollection(db: Sql, id: string, lang: Lang): Promise<Collection | null> {
	return (await listCollections(db, lang)).find((c) => c.id === id) ?? null;
}

/** The municipality's extent (all areas), in CRS84: every item and action lies inside it. */
export async function extent(db: Sql): Promise<[number, number, number, number] | null> {
	return municipalityExtent(db);
}

export interface FeaturePage {
	features: Feature<Geometry | null>[];
	numberMatched: number;
	next: string | null;
	prev: string | null;
}

/** The properties, the key and the geometry as GeoJSON: the raw geometry never leaves the store. */
function selectSql(source: Source, crs: Crs): string {
	const geometry =
		crs.srid === 4326
			? `ST_AsGeoJSON(${source.geom}, ${crs.precision})`
			: `ST_AsGeoJSON(ST_Transform(${source.geom}, ${crs.srid}), ${crs.precision}, 0)`;
	return `SELECT ${source.columns}, ${source.key} AS key, ${geometry} AS geometry FROM ${source.from}`;
}

/**
 * One page of a collection, keyset-paged both ways: `cursor` continues after a key, `before`
 * goes back from one. numberMatched counts the whole selection on every page.
 */
export async function readPage(db: Sql, source: Source, f: FeatureParams): Promise<FeaturePage> {
	const params = [...source.params];
	const key = (v: string) => `${p(params, v)}::${source.keyType}`;
	const forward = f.cursor?.dir !== 'before';
	// "Later in the list" is a smaller key when the list runs newest (highest) first.
	const later = source.desc ? '<' : '>';
	const earlier = source.desc ? '>' : '<';
	const position = f.cursor
		? ` AND ${source.key} ${forward ? later : earlier} ${key(f.cursor.key)}`
		: '';
	const order = source.desc === forward ? 'DESC' : 'ASC';
	const rows = await db.query<Record<string, unknown>>(
		`${selectSql(source, f.crs)} WHERE ${source.where}${position}
		 ORDER BY ${source.key} ${order} LIMIT ${f.limit + 1}`,
		params
	);
	const more = rows.length > f.limit;
	const page = rows.slice(0, f.limit);
	if (!forward) page.reverse();
	const exists = async (op: string, k: unknown) => {
		const ps = [...source.params];
		const [r] = await db.query<{ e: boolean }>(
			`SELECT EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where} AND ${source.key} ${op} ${p(ps, String(k))}::${source.keyType}) AS e`,
			ps
		);
		return r.e;
	};
	const first = page[0]?.key;
	const last = page[page.length - 1]?.key;
	const hasNext = page.length > 0 && (forward ? more : await exists(later, last));
	const hasPrev =
		page.length > 0 && f.cursor !== null && (forward ? await exists(earlier, first) : more);
	const [{ n }] = await db.query<{ n: number }>(
		`SELECT count(*) AS n FROM ${source.from} WHERE ${source.where}`,
		source.params
	);
	return {
		features: page.map((r) => source.feature(r)),
		numberMatched: n,
		next: hasNext ? String(last) : null,
		prev: hasPrev ? String(first) : null
	};
}

/** One feature by id, with the same visibility as the list. */
export async function readOne(
	db: Sql,
	source: Source,
	id: string,
	crs: Crs
): Promise<Feature<Geometry | null> | null> {
	if (source.keyType === 'bigint' && !/^\d{1,18}$/.test(id)) return null;
	const params = [...source.params];
	const [row] = await db.query<Record<string, unknown>>(
		`${selectSql(source, crs)} WHERE ${source.where} AND ${source.key} = ${p(params, id)}::${source.keyType}`,
		params
	);
	return row ? source.feature(row) : null;
}

/** The collection named in the path, or a 404 exception. */
export async function collectionOf(db: Sql, id: string, lang: Lang): Promise<Collection> {
	const c = await findCollection(db, id, lang);
	if (!c) throw new OgcError(404, 'NotFound', 'noCollection', { id });
	return c;
}
