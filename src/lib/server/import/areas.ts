import { msg, reasonOf } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import { recordAudit } from '../audit.ts';
import type { Feature, MultiPolygon } from 'geojson';
import type { AreaInput } from '../../domain/area.ts';
import { chooseParents, type ParentOverlap } from '../../geo/parents.ts';
import {
	GeometryError,
	mapPositions,
	repairRings,
	samplePositions,
	toMultiPolygon
} from '../../geo/polygons.ts';
import { crsFromMember, detectCrs, rdToWgs84, type Crs } from '../../geo/rd.ts';
import type { Db, Sql } from '../db/types.ts';
import { reassignAreas } from '../items/write.ts';
import {
	deriveCodes,
	detectFields,
	readPopulation,
	type FieldChoice,
	type FieldOverrides
} from './area-fields.ts';

import { ImportError } from './import-error.ts';

export { ImportError };

export interface AreaImportOptions {
	level: string;
	/**
	 * The next coarser level; its areas become parents. Omitted: a re-imported level keeps its
	 * parent level, a new level is only allowed as the first level of an empty store.
	 */
	parentLevel?: string | null;
	fields?: FieldOverrides;
	/**
	 * Refuse invalid polygons (self-intersecting rings and the like) instead of repairing them
	 * with ST_MakeValid, the default; every repair is listed in the summary.
	 */
	strict?: boolean;
	/** Leave out features that cannot be read instead of refusing the file. */
	skipInvalid?: boolean;
	source?: string;
	/** The command that runs the import, named in the audit trail (default "areas"). */
	command?: string;
	onProgress?: (done: number, total: number) => void;
}

export interface AreaImportSummary {
	level: string;
	parentLevel: string | null;
	depth: number;
	crs: Crs;
	fields: FieldChoice;
	imported: number;
	replaced: number;
	parents: { fromProperty: number; spatial: number; none: number };
	/** Report lines, as messages so each reader shows them in its own language. */
	repaired: Message[];
	rejected: Message[];
	/** Finer areas whose parent code no longer exists after a re-import. */
	orphanedChildren: number;
}

export interface PreparedAreas {
	areas: AreaInput[];
	crs: Crs;
	fields: FieldChoice;
	repaired: Message[];
	rejected: Message[];
}

const LEVEL_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export function checkLevelName(level: string): void {
	if (!LEVEL_NAME.test(level)) {
		throw new ImportError(msg('errors.import.levelName', { level }));
	}
}

/** Reads text as a GeoJSON FeatureCollection, with a message a person can act on. */
export function parseFeatureCollection(text: string): FeatureCollectionLike {
	if (text.trim() === '') throw new ImportError(msg('errors.import.empty'));
	let json: unknown;
	try {
		json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (err) {
		throw new ImportError(msg('errors.import.json', { reason: (err as Error).message }));
	}
	return asFeatureCollection(json);
}

interface FeatureCollectionLike {
	type: 'FeatureCollection';
	features: unknown[];
	crs?: unknown;
}

function asFeatureCollection(json: unknown): FeatureCollectionLike {
	const fc = json as { type?: unknown; features?: unknown; crs?: unknown };
	if (
		!fc ||
		typeof fc !== 'object' ||
		fc.type !== 'FeatureCollection' ||
		!Array.isArray(fc.features)
	) {
		throw new ImportError(
			msg('errors.import.notCollection', {
				got: fc && typeof fc === 'object' ? `type "${String(fc.type)}"` : typeof json
			})
		);
	}
	if (fc.features.length === 0) throw new ImportError(msg('errors.import.noFeatures'));
	return { type: 'FeatureCollection', features: fc.features, crs: fc.crs };
}

function label(i: number, props: Record<string, unknown>, fields: FieldChoice): Message {
	const id = (fields.code && props[fields.code]) ?? (fields.name && props[fields.name]);
	return id != null
		? msg('errors.import.featureId', { n: i + 1, id: String(id) })
		: msg('errors.import.feature', { n: i + 1 });
}

/** "<where>: <what>", one line of an import's report or refusal. */
const at = (where: Message, what: string | Message): Message =>
	msg('errors.import.at', { where, what });

/** Pure part of the import: read, check, reproject. Throws ImportError naming the feature. */
export function prepareAreas(
	input: unknown,
	opts: Pick<AreaImportOptions, 'fields' | 'skipInvalid'> = {}
): PreparedAreas {
	const { features, crs: crsMember } = asFeatureCollection(input);
	const keys = new Set<string>();
	for (const f of features) {
		const props = (f as Feature)?.properties;
		if (props && typeof props === 'object') for (const k of Object.keys(props)) keys.add(k);
	}
	let fields: FieldChoice;
	try {
		fields = detectFields(keys, opts.fields);
	} catch (err) {
		throw new ImportError(reasonOf(err));
	}
	if (!fields.code && !fields.name) {
		throw new ImportError(
			msg('errors.import.noCodeOrName', {
				keys: [...keys].slice(0, 12).join(', ') || msg('errors.import.noneFound')
			})
		);
	}

	const repaired: Message[] = [];
	const rejected: Message[] = [];
	const rows: { props: Record<string, unknown>; geometry: MultiPolygon; label: Message }[] = [];
	features.forEach((f, i) => {
		const feature = f as Feature;
		const props = (feature?.properties ?? {}) as Record<string, unknown>;
		const where = label(i, props, fields);
		try {
			if (!feature || feature.type !== 'Feature')
				throw new GeometryError(msg('errors.geometry.notFeature'));
			const { geometry, repairs } = repairRings(toMultiPolygon(feature.geometry));
			if (repairs.closed || repairs.duplicatesRemoved) {
				repaired.push(
					at(
						where,
						msg('errors.import.ringsRepaired', {
							closed: repairs.closed,
							duplicates: repairs.duplicatesRemoved
						})
					)
				);
			}
			rows.push({ props, geometry, label: where });
		} catch (err) {
			if (!(err instanceof GeometryError)) throw err;
			if (!opts.skipInvalid) throw new ImportError(at(where, reasonOf(err)));
			rejected.push(at(where, reasonOf(err)));
		}
	});
	if (rows.length === 0) throw new ImportError(msg('errors.import.noUsable'));

	const declared = crsFromMember(crsMember);
	if (declared === 'unknown') {
		throw new ImportError(msg('errors.import.crsMember'));
	}
	// Decide per feature, so one stray RD feature in a WGS84 file is named rather than guessed.
	const perRow = rows.map((r) => {
		try {
			return detectCrs(samplePositions(r.geometry));
		} catch (err) {
			throw new ImportError(at(r.label, reasonOf(err)));
		}
	});
	const rdCount = perRow.filter((c) => c === 'rd').length;
	const crs: Crs = declared ?? (rdCount * 2 > perRow.length ? 'rd' : 'wgs84');
	const stray = perRow.findIndex((c) => c !== crs);
	if (stray >= 0) {
		throw new ImportError(
			at(
				rows[stray].label,
				msg(crs === 'wgs84' ? 'errors.import.rdInWgs84' : 'errors.import.wgs84InRd')
			)
		);
	}

	const names = rows.map((r) => {
		const v = fields.name ? r.props[fields.name] : null;
		return v == null || String(v).trim() === '' ? null : String(v).trim();
	});
	const rawCodes = rows.map((r) => {
		const v = fields.code ? r.props[fields.code] : null;
		return v == null || String(v).trim() === '' ? null : String(v).trim();
	});
	const derived = fields.code ? null : deriveCodes(names.map((n, i) => n ?? `gebied ${i + 1}`));

	const seen = new Map<string, Message>();
	const areas: AreaInput[] = rows.map((r, i) => {
		const code = derived ? derived[i] : rawCodes[i];
		if (!code)
			throw new ImportError(at(r.label, msg('errors.import.noCode', { field: fields.code ?? '' })));
		if (code.length > 64) throw new ImportError(at(r.label, msg('errors.import.codeLong')));
		const dup = seen.get(code);
		if (dup)
			throw new ImportError(at(r.label, msg('errors.import.codeTwice', { code, other: dup })));
		seen.set(code, r.label);
		const parentValue = fields.parent ? r.props[fields.parent] : null;
		return {
			code,
			name: names[i] ?? code,
			parent:
				parentValue == null || String(parentValue).trim() === ''
					? null
					: String(parentValue).trim(),
			population: fields.population ? readPopulation(r.props[fields.population]) : null,
			geometry: crs === 'rd' ? mapPositions(r.geometry, rdToWgs84) : r.geometry
		};
	});
	return { areas, crs, fields, repaired, rejected };
}

/**
 * Where the level sits in the hierarchy. A re-imported level keeps its depth and, without
 * --parent, its parent level; a new level goes under --parent, or is the first level of an
 * empty store. A new level never slides in above existing ones: that would re-parent them.
 */
async function placeLevel(
	tx: Sql,
	level: string,
	parentLevel: string | null
): Promise<{ depth: number; parentLevel: string | null }> {
	const levels = await tx.query<{ name: string; depth: number }>(
		'SELECT name, depth FROM area_level ORDER BY depth'
	);
	const existing = levels.find((l) => l.name === level);
	if (parentLevel) {
		const parent = levels.find((l) => l.name === parentLevel);
		if (!parent) {
			throw new ImportError(
				levels.length
					? msg('errors.import.parentLevelUnknown', {
							parent: parentLevel,
							levels: levels.map((l) => l.name).join(', ')
						})
					: msg('errors.import.parentLevelFirst', { parent: parentLevel })
			);
		}
		if (existing && existing.depth !== parent.depth + 1) {
			throw new ImportError(msg('errors.import.notUnder', { level, parent: parentLevel }));
		}
		const taken = levels.find((l) => l.depth === parent.depth + 1 && l.name !== level);
		if (taken)
			throw new ImportError(
				msg('errors.import.levelTaken', { parent: parentLevel, level: taken.name })
			);
		return { depth: parent.depth + 1, parentLevel };
	}
	if (existing) {
		return {
			depth: existing.depth,
			parentLevel: levels.find((l) => l.depth === existing.depth - 1)?.name ?? null
		};
	}
	if (levels.length === 0) return { depth: 0, parentLevel: null };
	throw new ImportError(
		msg('errors.import.levelNew', { level, levels: levels.map((l) => l.name).join(', ') })
	);
}

/**
 * Replaces one level of the area hierarchy with the areas in a GeoJSON FeatureCollection, in
 * one transaction: on any error the store is as it was.
 */
export async function importAreasFromGeoJSON(
	db: Db,
	input: unknown,
	opts: AreaImportOptions
): Promise<AreaImportSummary> {
	checkLevelName(opts.level);
	return importPreparedAreas(db, prepareAreas(input, opts), opts);
}

/** The store half of importAreasFromGeoJSON, for callers that check the file before opening the store. */
export async function importPreparedAreas(
	db: Db,
	prepared: PreparedAreas,
	opts: AreaImportOptions
): Promise<AreaImportSummary> {
	return db.transaction(async (tx) => {
		const summary = await writeLevel(tx, prepared, opts);
		// Items carry their area codes; new boundaries must move them along, in the same transaction.
		await reassignAreas(tx);
		return summary;
	});
}

/** Several levels (e.g. wijken and buurten from PDOK) in one transaction. */
export async function importAreaLevels(
	db: Db,
	levels: { input: unknown; opts: AreaImportOptions }[]
): Promise<AreaImportSummary[]> {
	const prepared = levels.map((l) => prepareAreas(l.input, l.opts));
	return db.transaction(async (tx) => {
		const out: AreaImportSummary[] = [];
		for (let i = 0; i < levels.length; i++)
			out.push(await writeLevel(tx, prepared[i], levels[i].opts));
		await reassignAreas(tx);
		return out;
	});
}

const BATCH = 200;

async function writeLevel(
	tx: Sql,
	prepared: PreparedAreas,
	opts: AreaImportOptions
): Promise<AreaImportSummary> {
	const { level } = opts;
	checkLevelName(level);
	const { depth, parentLevel } = await placeLevel(tx, level, opts.parentLevel ?? null);
	await tx.query(
		`INSERT INTO area_level (name, depth) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET depth = excluded.depth`,
		[level, depth]
	);
	const [{ n: replaced }] = await tx.query<{ n: number }>(
		'SELECT count(*)::int AS n FROM area WHERE level = $1',
		[level]
	);
	await tx.query('DELETE FROM area WHERE level = $1', [level]);

	const { areas } = prepared;
	for (let i = 0; i < areas.length; i += BATCH) {
		const batch = areas.slice(i, i + BATCH);
		await tx.query(
			`INSERT INTO area (level, code, name, parent, population, geom)
			 SELECT $1, code, name, parent, population, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326))
			 FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[]) AS t(code, name, parent, population, geom)`,
			[
				level,
				batch.map((a) => a.code),
				batch.map((a) => a.name),
				batch.map((a) => (parentLevel ? a.parent : null)),
				batch.map((a) => a.population),
				batch.map((a) => JSON.stringify(a.geometry))
			]
		);
		opts.onProgress?.(Math.min(i + BATCH, areas.length), areas.length);
	}

	const repaired = [
		...prepared.repaired,
		...(await repairInvalid(tx, level, opts.strict ?? false))
	];

	const parents = { fromProperty: 0, spatial: 0, none: 0 };
	if (parentLevel) {
		const unknown = await tx.query<{ code: string; parent: string }>(
			`SELECT c.code, c.parent FROM area c
			 WHERE c.level = $1 AND c.parent IS NOT NULL
			   AND NOT EXISTS (SELECT 1 FROM area p WHERE p.level = $2 AND p.code = c.parent)
			 ORDER BY c.code LIMIT 1`,
			[level, parentLevel]
		);
		if (unknown.length > 0) {
			throw new ImportError(
				msg('errors.import.parentCode', {
					code: unknown[0].code,
					parent: unknown[0].parent,
					field: prepared.fields.parent ?? '',
					level: parentLevel
				})
			);
		}
		const [{ n }] = await tx.query<{ n: number }>(
			'SELECT count(*)::int AS n FROM area WHERE level = $1 AND parent IS NOT NULL',
			[level]
		);
		parents.fromProperty = n;
		parents.spatial = await assignParentsSpatially(tx, level, parentLevel);
		parents.none = areas.length - parents.fromProperty - parents.spatial;
	}

	const [{ n: orphanedChildren }] = await tx.query<{ n: number }>(
		`SELECT count(*)::int AS n FROM area c
		 JOIN area_level lc ON lc.name = c.level AND lc.depth = $2 + 1
		 WHERE c.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM area p WHERE p.level = $1 AND p.code = c.parent)`,
		[level, depth]
	);

	const summary: AreaImportSummary = {
		level,
		parentLevel,
		depth,
		crs: prepared.crs,
		fields: prepared.fields,
		imported: areas.length,
		replaced,
		parents,
		repaired,
		rejected: prepared.rejected,
		orphanedChildren
	};
	await tx.query(
		`INSERT INTO import_log (kind, target, source, summary) VALUES ('areas', $1, $2, $3::jsonb)`,
		[level, opts.source ?? null, JSON.stringify(summary)]
	);
	// A summary, not every area: the geometries are in the store and in the source file.
	await recordAudit(tx, {
		actor: { kind: 'import', command: opts.command ?? 'areas' },
		action: 'import.areas',
		entity: 'area',
		entityId: level,
		before: { areas: replaced },
		after: {
			file: opts.source ?? null,
			level,
			parentLevel,
			imported: areas.length,
			repaired: repaired.length,
			rejected: prepared.rejected.length,
			orphanedChildren
		}
	});
	return summary;
}

/**
 * Invalid boundaries (a ring crossing itself, a hole outside its shell) break every overlay
 * later on, so they are repaired here with ST_MakeValid, keeping the polygonal part, or with
 * `strict` refused. Returns one line per repair.
 */
async function repairInvalid(tx: Sql, level: string, strict: boolean): Promise<Message[]> {
	const invalid = await tx.query<{ code: string; name: string; reason: string }>(
		`SELECT code, name, ST_IsValidReason(geom) AS reason FROM area WHERE level = $1 AND NOT ST_IsValid(geom) ORDER BY code`,
		[level],
		{ purpose: 'validity' }
	);
	if (invalid.length === 0) return [];
	if (strict) {
		const first = invalid[0];
		const where = { code: first.code, name: first.name, reason: first.reason };
		throw new ImportError(
			invalid.length > 1
				? msg('errors.import.invalidStrictMore', { ...where, others: invalid.length - 1 })
				: msg('errors.import.invalidStrict', where)
		);
	}
	const fixed = await tx.query<{ code: string; empty: boolean }>(
		`UPDATE area SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
		 WHERE level = $1 AND NOT ST_IsValid(geom) RETURNING code, ST_IsEmpty(geom) AS empty`,
		[level],
		{ purpose: 'repair' }
	);
	const empty = fixed.filter((f) => f.empty).map((f) => f.code);
	if (empty.length > 0) {
		throw new ImportError(msg('errors.import.emptyAfterRepair', { codes: empty.join(', ') }));
	}
	return invalid.map((r) =>
		msg('errors.import.madeValid', { code: r.code, name: r.name, reason: r.reason })
	);
}

async function assignParentsSpatially(
	tx: Sql,
	level: string,
	parentLevel: string
): Promise<number> {
	const overlaps = await tx.query<ParentOverlap>(
		`SELECT c.code AS child, p.code AS parent, area_share(c.geom, p.geom) AS share
		 FROM area c JOIN area p ON p.level = $2 AND ST_Intersects(c.geom, p.geom)
		 WHERE c.level = $1 AND c.parent IS NULL`,
		[level, parentLevel],
		{ purpose: 'parents' }
	);
	const chosen = chooseParents(overlaps);
	if (chosen.size === 0) return 0;
	await tx.query(
		`UPDATE area a SET parent = t.parent FROM unnest($2::text[], $3::text[]) AS t(code, parent)
		 WHERE a.level = $1 AND a.code = t.code`,
		[level, [...chosen.keys()], [...chosen.values()]]
	);
	return chosen.size;
}
