import type { Geometry } from 'geojson';
import {
	applyPatch,
	checkItem,
	inputFromCreate,
	parseCreate,
	parsePatch,
	ValidationError,
	type ItemPatch
} from '../../domain/item-edit.ts';
import { msg, NotFoundError } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import { dutchStamp } from '../../domain/local-time.ts';
import { statusChangeError } from '../../domain/status.ts';
import type { StaffUser } from '../../domain/staff.ts';
import { recordAudit } from '../audit.ts';
import { authorizeItemWrite, itemScope, type ItemWrite } from '../auth/policy.ts';
import type { Db, Sql } from '../db/types.ts';
import { getStaffItem, toInput, type StaffItem } from './staff-read.ts';
import { syncTaxonomy, taxonomy } from './taxonomy.ts';
import { addTimelineEntry } from './timeline.ts';
import { insertItems, reassignAreas } from './write.ts';

/**
 * Staff writes on items: create, edit with optimistic locking, status changes with their
 * public text, soft delete and restore. Every write runs in one transaction with its audit
 * entry. Invalid input throws ValidationError (nothing written); a stale version returns a
 * Conflict with the stored item, so the caller can show both and lose nothing.
 */
export { NotFoundError } from '../../domain/errors.ts';

export interface Saved {
	kind: 'ok';
	item: StaffItem;
}

export interface Conflict {
	kind: 'conflict';
	/** The item as stored now, changed by someone else since `expectedVersion`. */
	stored: StaffItem;
	/** What the caller tried to save, handed back so it is not lost. */
	yours: unknown;
	/** The version the caller started from. */
	yourVersion: number | null;
	updatedBy: string | null;
	updatedAt: string;
	/** "gewijzigd door … om …" */
	message: Message;
}

export interface WriteContext {
	actor: StaffUser;
	/** Client address, for the audit trail. */
	client?: string | null;
	/** Origin of the request, for the links in the e-mail a change sends. */
	baseUrl?: string | null;
}

export function conflictMessage(stored: StaffItem): Message {
	const at = dutchStamp(stored.updatedAt);
	return stored.updatedByName
		? msg('errors.edit.conflict', { who: stored.updatedByName, at })
		: msg('errors.edit.conflictAnon', { at });
}

function conflict(stored: StaffItem, yours: unknown, yourVersion: number | null): Conflict {
	return {
		kind: 'conflict',
		stored,
		yours,
		yourVersion,
		updatedBy: stored.updatedByName,
		updatedAt: stored.updatedAt,
		message: conflictMessage(stored)
	};
}

const audit = (
	tx: Sql,
	ctx: WriteContext,
	action: string,
	id: number,
	before: StaffItem | null,
	after: StaffItem | null
) =>
	recordAudit(tx, {
		actor: { kind: 'user', user: ctx.actor },
		action,
		entity: 'item',
		entityId: id,
		before,
		after,
		client: ctx.client
	});

/** The stored item, locked, once the actor may do `write` on it where it lies now. */
async function lockedItem(
	tx: Sql,
	id: number,
	ctx: WriteContext,
	write: ItemWrite
): Promise<StaffItem> {
	const item = await getStaffItem(tx, id, true);
	if (!item) throw new NotFoundError(msg('errors.edit.noItem', { id }));
	authorizeItemWrite(ctx.actor, write, itemScope(item), null);
	return item;
}

/**
 * Refuses a shape PostGIS calls invalid (a polygon whose edge crosses itself) and any vertex
 * outside the municipality (the coarsest area level), with the message at the geometry field.
 */
export async function checkGeometry(tx: Sql, geometry: Geometry): Promise<void> {
	const [row] = await tx.query<{ valid: boolean; reason: string; outside: number }>(
		`WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g),
		      top AS (SELECT a.geom FROM area a WHERE a.level = (SELECT name FROM area_level ORDER BY depth LIMIT 1))
		 SELECT ST_IsValid(g.g) AS valid, ST_IsValidReason(g.g) AS reason,
		        (SELECT count(*)::int FROM ST_DumpPoints(g.g) p
		         WHERE NOT EXISTS (SELECT 1 FROM top WHERE ST_Intersects(top.geom, p.geom))) AS outside
		 FROM g`,
		[JSON.stringify(geometry)]
	);
	if (!row.valid) {
		throw new ValidationError({
			geometry: /self-intersection|ring/i.test(row.reason)
				? msg('errors.edit.selfIntersection')
				: msg('errors.edit.invalidShape', { reason: row.reason })
		});
	}
	if (row.outside > 0)
		throw new ValidationError({
			geometry: msg('errors.edit.outsideMunicipality')
		});
}

export async function createItem(db: Db, raw: unknown, ctx: WriteContext): Promise<Saved> {
	authorizeItemWrite(ctx.actor, 'create', null, null);
	const tax = taxonomy();
	const input = checkItem(inputFromCreate(parseCreate(raw)), tax);
	return db.transaction(async (tx) => {
		await checkGeometry(tx, input.geometry);
		await syncTaxonomy(tx, tax);
		const { ids } = await insertItems(tx, [input], { source: 'beheer' });
		const id = ids[0];
		if (id === null)
			throw new ValidationError({
				geometry: msg('errors.edit.outsideWijken')
			});
		await tx.query('UPDATE item SET updated_by = $2 WHERE id = $1', [id, ctx.actor.email]);
		const item = (await getStaffItem(tx, id))!;
		authorizeItemWrite(ctx.actor, 'create', null, itemScope(item));
		await audit(tx, ctx, 'item.create', id, null, item);
		return { kind: 'ok', item };
	});
}

const sameGeometry = (a: Geometry, b: Geometry) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Saves a patch when the item is still at `expectedVersion`; else returns a Conflict and
 * writes nothing. Moving the geometry assigns the areas again (same rule as every write).
 */
export async function updateItem(
	db: Db,
	id: number,
	expectedVersion: number,
	rawPatch: unknown,
	ctx: WriteContext
): Promise<Saved | Conflict> {
	authorizeItemWrite(ctx.actor, 'edit', null, null);
	const patch: ItemPatch = parsePatch(rawPatch);
	const tax = taxonomy();
	return db.transaction(async (tx) => {
		const stored = await lockedItem(tx, id, ctx, 'edit');
		if (stored.version !== expectedVersion) return conflict(stored, rawPatch, expectedVersion);
		if (stored.deletedAt)
			throw new ValidationError({
				_: msg('errors.edit.deletedEdit')
			});
		const next = checkItem(applyPatch(toInput(stored), patch), tax);
		const moved = !sameGeometry(next.geometry, stored.geometry);
		if (moved) await checkGeometry(tx, next.geometry);
		await syncTaxonomy(tx, tax);
		await tx.query(
			`UPDATE item SET title = $3, description = $4, theme = $5, themes = $6::text[], category = $7, subcategory = $8,
			   sensitive = coalesce((SELECT sensitive FROM melding_category WHERE id = $7), false),
			   geom = ST_SetSRID(ST_GeomFromGeoJSON($9), 4326), details = $10::jsonb, starts_at = $11, ends_at = $12,
			   version = version + 1, updated_at = now(), updated_by = $13
			 WHERE id = $1 AND version = $2`,
			[
				id,
				expectedVersion,
				next.title,
				next.description,
				next.theme,
				next.themes ?? [],
				next.category ?? null,
				next.subcategory ?? null,
				JSON.stringify(next.geometry),
				JSON.stringify(next.details ?? {}),
				next.startsAt?.toISOString() ?? null,
				next.endsAt?.toISOString() ?? null,
				ctx.actor.email
			]
		);
		if (moved) await reassignAreas(tx, [id]);
		const item = (await getStaffItem(tx, id))!;
		if (Object.keys(item.areas).length === 0)
			throw new ValidationError({
				geometry: msg('errors.edit.outsideWijken')
			});
		authorizeItemWrite(ctx.actor, 'edit', itemScope(stored), itemScope(item));
		await audit(tx, ctx, 'item.update', id, stored, item);
		return { kind: 'ok', item };
	});
}

export interface StatusOptions {
	/** Public reason, required when an initiative is rejected (kept in details.rejectionReason). */
	reason?: string | null;
}

/**
 * A status change (or, with the same status, a plain public update) with the text residents
 * read on the item's timeline; the text is required.
 */
export async function changeStatus(
	db: Db,
	id: number,
	expectedVersion: number,
	to: string,
	publicText: string,
	ctx: WriteContext,
	opts: StatusOptions = {}
): Promise<Saved | Conflict> {
	authorizeItemWrite(ctx.actor, 'status', null, null);
	return db.transaction(async (tx) => {
		const stored = await lockedItem(tx, id, ctx, 'status');
		if (stored.version !== expectedVersion)
			return conflict(stored, { status: to, publicText, reason: opts.reason }, expectedVersion);
		if (stored.deletedAt) throw new ValidationError({ _: msg('errors.edit.deleted') });
		const text = (publicText ?? '').trim();
		const reason = opts.reason?.trim() || null;
		const err = statusChangeError({
			layer: stored.layer,
			from: stored.status,
			to,
			publicText: text,
			reason
		});
		if (err) throw new ValidationError({ [err.field]: err.message });
		const details =
			reason && stored.layer === 'initiatieven' && to === 'afgewezen'
				? { ...stored.details, rejectionReason: reason }
				: stored.details;
		await tx.query(
			`UPDATE item SET status = $2, details = $3::jsonb, version = version + 1, updated_at = now(), updated_by = $4 WHERE id = $1`,
			[id, to, JSON.stringify(details), ctx.actor.email]
		);
		const changed = to !== stored.status;
		await addTimelineEntry(
			tx,
			id,
			{ from: changed ? stored.status : null, to: changed ? to : null, text },
			ctx
		);
		const item = (await getStaffItem(tx, id))!;
		await audit(tx, ctx, 'item.status', id, stored, item);
		return { kind: 'ok', item };
	});
}

async function setDeleted(
	db: Db,
	id: number,
	expectedVersion: number | null,
	deleted: boolean,
	ctx: WriteContext
): Promise<Saved | Conflict> {
	const write = deleted ? 'delete' : 'restore';
	authorizeItemWrite(ctx.actor, write, null, null);
	return db.transaction(async (tx) => {
		const stored = await lockedItem(tx, id, ctx, write);
		if (expectedVersion !== null && stored.version !== expectedVersion)
			return conflict(stored, { deleted }, expectedVersion);
		// Asking twice is harmless and leaves no second trace.
		if (Boolean(stored.deletedAt) === deleted) return { kind: 'ok', item: stored };
		await tx.query(
			`UPDATE item SET deleted_at = ${deleted ? 'now()' : 'NULL'}, version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`,
			[id, ctx.actor.email]
		);
		const item = (await getStaffItem(tx, id))!;
		await audit(tx, ctx, deleted ? 'item.delete' : 'item.restore', id, stored, item);
		return { kind: 'ok', item };
	});
}

/** Hides the item from every public view; restore() brings it back unchanged. */
export const softDelete = (db: Db, id: number, expectedVersion: number | null, ctx: WriteContext) =>
	setDeleted(db, id, expectedVersion, true, ctx);
export const restore = (db: Db, id: number, expectedVersion: number | null, ctx: WriteContext) =>
	setDeleted(db, id, expectedVersion, false, ctx);
