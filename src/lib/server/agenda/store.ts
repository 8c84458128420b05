import { AppError, msg } from '../../domain/errors.ts';
import type { Geometry } from 'geojson';
import {
	byRank,
	type Action,
	type ActionStatus,
	type ActionUpdate,
	type Agenda,
	type Ambition,
	type Contact,
	type Goal
} from '../../domain/agenda.ts';
import { dutchStamp } from '../../domain/local-time.ts';
import { recordAudit, type Actor } from '../audit.ts';
import type { Sql } from '../db/types.ts';

/** Reads and writes the wijkagenda. Every write records its audit entry in the same transaction. */

/** The ids of every wijk's current agenda: its newest period. The wijk page and /ogc show these. */
export const CURRENT_AGENDAS = `SELECT DISTINCT ON (wijk) id FROM agenda ORDER BY wijk, period_start DESC`;

/** The newest agenda of a wijk (highest period), complete with history; null if none. */
export async function getAgenda(db: Sql, wijk: string): Promise<Agenda | null> {
	const [ag] = await db.query<{
		id: number;
		wijk: string;
		period_start: number;
		period_end: number;
		title: string;
		contacts: Contact[];
	}>(
		`SELECT id, wijk, period_start, period_end, title, contacts FROM agenda WHERE wijk = $1 AND id IN (${CURRENT_AGENDAS})`,
		[wijk]
	);
	if (!ag) return null;
	const [ambitions, goals, actions, links, updates] = await Promise.all([
		db.query<{ id: number; theme: string; title: string; description: string; rank: number }>(
			`SELECT id, theme, title, description, rank FROM ambition WHERE agenda_id = $1 ORDER BY rank, id`,
			[ag.id]
		),
		db.query<{
			id: number;
			ambition_id: number;
			indicator: string;
			unit: string;
			baseline: number;
			target: number;
			current: number | null;
			deadline: string;
		}>(
			`SELECT g.id, g.ambition_id, g.indicator, g.unit, g.baseline, g.target, g.current, g.deadline
			 FROM goal g JOIN ambition m ON m.id = g.ambition_id WHERE m.agenda_id = $1 ORDER BY g.id`,
			[ag.id]
		),
		db.query<Record<string, unknown>>(
			`SELECT a.id, a.ambition_id, a.title, a.description, a.owner,
			        a.planned_start, a.planned_end,
			        a.actual_start, a.actual_end,
			        a.status, a.progress, a.budget, ST_AsGeoJSON(a.geom, 6) AS geom, a.buurten, a.version
			 FROM action a JOIN ambition m ON m.id = a.ambition_id WHERE m.agenda_id = $1 ORDER BY a.id`,
			[ag.id]
		),
		db.query<{ action_id: number; item_id: number }>(
			`SELECT l.action_id, l.item_id FROM action_item l
			 JOIN action a ON a.id = l.action_id JOIN ambition m ON m.id = a.ambition_id
			 JOIN public_item i ON i.id = l.item_id
			 WHERE m.agenda_id = $1 ORDER BY l.item_id`,
			[ag.id]
		),
		db.query<{
			action_id: number;
			at: Date;
			status_from: ActionStatus | null;
			status_to: ActionStatus;
			progress_from: number | null;
			progress_to: number;
			public_text: string;
		}>(
			`SELECT u.action_id, u.at, u.status_from, u.status_to, u.progress_from, u.progress_to, u.public_text
			 FROM action_update u JOIN action a ON a.id = u.action_id JOIN ambition m ON m.id = a.ambition_id
			 WHERE m.agenda_id = $1 ORDER BY u.at, u.id`,
			[ag.id]
		)
	]);
	const toAction = (r: Record<string, unknown>): Action => ({
		id: r.id as number,
		title: r.title as string,
		description: r.description as string,
		owner: r.owner as string,
		plannedStart: r.planned_start as string | null,
		plannedEnd: r.planned_end as string | null,
		actualStart: r.actual_start as string | null,
		actualEnd: r.actual_end as string | null,
		status: r.status as ActionStatus,
		progress: r.progress as number,
		budget: (r.budget as number | null) ?? null,
		geometry: r.geom ? (JSON.parse(r.geom as string) as Geometry) : null,
		buurten: (r.buurten as string[]) ?? [],
		items: links.filter((l) => l.action_id === r.id).map((l) => l.item_id),
		version: r.version as number,
		updates: updates
			.filter((u) => u.action_id === r.id)
			.map((u): ActionUpdate => ({
				at: u.at.toISOString(),
				statusFrom: u.status_from,
				statusTo: u.status_to,
				progressFrom: u.progress_from,
				progressTo: u.progress_to,
				text: u.public_text
			}))
	});
	return {
		id: ag.id,
		wijk: ag.wijk,
		periodStart: ag.period_start,
		periodEnd: ag.period_end,
		title: ag.title,
		contacts: ag.contacts,
		ambitions: byRank(
			ambitions.map((m): Ambition => ({
				id: m.id,
				theme: m.theme,
				title: m.title,
				description: m.description,
				rank: m.rank,
				goals: goals
					.filter((g) => g.ambition_id === m.id)
					.map((g): Goal => ({
						id: g.id,
						indicator: g.indicator,
						unit: g.unit,
						baseline: g.baseline,
						target: g.target,
						current: g.current,
						deadline: g.deadline
					})),
				actions: actions.filter((a) => a.ambition_id === m.id).map(toAction)
			}))
		)
	};
}

/** The agenda refers to something the store does not have (400; 404 where a caller says so). */
export class AgendaError extends AppError {}

/** Checks what only the store knows: the wijk, its buurten, the themes and the linked items. */
async function checkReferences(tx: Sql, agenda: Agenda): Promise<void> {
	const [wijk] = await tx.query<{ code: string }>(
		`SELECT code FROM area WHERE level = 'wijk' AND code = $1`,
		[agenda.wijk]
	);
	if (!wijk) throw new AgendaError(msg('errors.agenda.noWijk', { wijk: agenda.wijk }));
	const themes = new Set((await tx.query<{ id: string }>(`SELECT id FROM theme`)).map((t) => t.id));
	const buurten = new Set(
		(
			await tx.query<{ code: string }>(`SELECT code FROM area WHERE parent = $1`, [agenda.wijk])
		).map((b) => b.code)
	);
	const itemIds = [...new Set(agenda.ambitions.flatMap((m) => m.actions.flatMap((a) => a.items)))];
	const known = new Set(
		(
			await tx.query<{ id: number }>(
				`SELECT id FROM item WHERE id = ANY($1::bigint[]) AND deleted_at IS NULL`,
				[itemIds]
			)
		).map((r) => r.id)
	);
	agenda.ambitions.forEach((m, i) => {
		if (!themes.has(m.theme))
			throw new AgendaError(
				msg('errors.agenda.ambitionTheme', {
					n: i + 1,
					theme: m.theme,
					allowed: [...themes].join(', ')
				})
			);
		m.actions.forEach((a, j) => {
			const bad = a.buurten.find((b) => !buurten.has(b));
			if (bad)
				throw new AgendaError(
					msg('errors.agenda.actionBuurt', { n: i + 1, m: j + 1, buurt: bad, wijk: agenda.wijk })
				);
			const missing = a.items.find((id) => !known.has(id));
			if (missing)
				throw new AgendaError(
					msg('errors.agenda.actionItem', { n: i + 1, m: j + 1, item: missing })
				);
		});
	});
}

/**
 * Writes a whole agenda, replacing the one of the same wijk and start year. For imports and
 * the demo: all or nothing, in the caller's transaction.
 */
export async function replaceAgenda(
	tx: Sql,
	agenda: Agenda,
	actor: Actor,
	now = new Date()
): Promise<number> {
	await checkReferences(tx, agenda);
	const [old] = await tx.query<{ id: number }>(
		`SELECT id FROM agenda WHERE wijk = $1 AND period_start = $2`,
		[agenda.wijk, agenda.periodStart]
	);
	if (old) await tx.query(`DELETE FROM agenda WHERE id = $1`, [old.id]);
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO agenda (wijk, period_start, period_end, title, contacts) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id`,
		[
			agenda.wijk,
			agenda.periodStart,
			agenda.periodEnd,
			agenda.title,
			JSON.stringify(agenda.contacts ?? [])
		]
	);
	for (const m of agenda.ambitions) {
		const ambitionId = await insertAmbition(tx, id, m);
		for (const g of m.goals) await insertGoal(tx, ambitionId, g);
		for (const a of m.actions) await insertAction(tx, ambitionId, a, actor, now);
	}
	await recordAudit(tx, {
		actor,
		action: old ? 'agenda.replace' : 'agenda.create',
		entity: 'agenda',
		entityId: id,
		before: old ? { id: old.id } : undefined,
		after: agenda
	});
	return id;
}

export async function insertAmbition(
	tx: Sql,
	agendaId: number,
	m: Omit<Ambition, 'goals' | 'actions'>
): Promise<number> {
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO ambition (agenda_id, theme, title, description, rank) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[agendaId, m.theme, m.title, m.description, m.rank]
	);
	return id;
}

export async function insertGoal(tx: Sql, ambitionId: number, g: Goal): Promise<number> {
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO goal (ambition_id, indicator, unit, baseline, target, current, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		[ambitionId, g.indicator, g.unit, g.baseline, g.target, g.current, g.deadline]
	);
	return id;
}

/** An action with its history: the given one (import round-trip) or one creation entry. */
export async function insertAction(
	tx: Sql,
	ambitionId: number,
	a: Action,
	actor: Actor,
	now = new Date()
): Promise<number> {
	const [{ id }] = await tx.query<{ id: number }>(
		`INSERT INTO action (ambition_id, title, description, owner, planned_start, planned_end, actual_start, actual_end,
		                     status, progress, budget, geom, buurten, updated_by)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
		         CASE WHEN $12::text IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON($12::text), 4326) END, $13::text[], $14)
		 RETURNING id`,
		[
			ambitionId,
			a.title,
			a.description,
			a.owner,
			a.plannedStart,
			a.plannedEnd,
			a.actualStart,
			a.actualEnd,
			a.status,
			a.progress,
			a.budget,
			a.geometry ? JSON.stringify(a.geometry) : null,
			a.buurten,
			actorLabel(actor)
		]
	);
	if (a.items.length) {
		await tx.query(
			`INSERT INTO action_item (action_id, item_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
			[id, a.items]
		);
	}
	const history: ActionUpdate[] = a.updates?.length
		? a.updates
		: [
				{
					at: now.toISOString(),
					statusFrom: null,
					statusTo: a.status,
					progressFrom: null,
					progressTo: a.progress,
					text: 'Actie opgenomen in de wijkagenda.'
				}
			];
	for (const u of history) {
		await tx.query(
			`INSERT INTO action_update (action_id, at, status_from, status_to, progress_from, progress_to, public_text) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			[id, u.at, u.statusFrom, u.statusTo, u.progressFrom, u.progressTo, u.text]
		);
	}
	const [{ created }] = await tx.query<{ created: Date }>(
		`SELECT min(at) AS created FROM action_update WHERE action_id = $1`,
		[id]
	);
	await tx.query(
		`UPDATE action SET created_at = $2, updated_at = greatest($2, now()) WHERE id = $1`,
		[id, created]
	);
	return id;
}

export function actorLabel(actor: Actor): string {
	return actor.kind === 'user'
		? actor.user.email
		: actor.kind === 'import'
			? `import:${actor.command}`
			: actor.kind;
}

export class VersionConflict extends AppError {
	constructor(public current: { version: number; updatedBy: string | null; updatedAt: string }) {
		super(
			`Deze actie is intussen gewijzigd door ${current.updatedBy ?? 'iemand anders'} om ${current.updatedAt}; laad de pagina opnieuw.`,
			{ status: 409, field: 'form' }
		);
	}

	/** From the action's row as stored now. */
	static of(row: Record<string, unknown>): VersionConflict {
		return new VersionConflict({
			version: row.version as number,
			updatedBy: (row.updated_by as string | null) ?? null,
			updatedAt: dutchStamp(row.updated_at as Date)
		});
	}
}

export interface ActionChange {
	title: string;
	owner: string;
	status: ActionStatus;
	progress: number;
	plannedStart: string | null;
	plannedEnd: string | null;
	actualStart: string | null;
	actualEnd: string | null;
	budget: number | null;
	/** Required when status or progress changes: what residents read. */
	text: string;
}

/**
 * Changes an action if nobody else did since `version`; a status or progress change adds a
 * public history entry with `text`.
 */
export async function updateAction(
	tx: Sql,
	id: number,
	version: number,
	change: ActionChange,
	actor: Actor,
	now = new Date()
): Promise<number> {
	const [cur] = await tx.query<Record<string, unknown>>(
		`SELECT id, title, owner, status, progress, version, updated_by, updated_at,
		        planned_start, planned_end,
		        actual_start, actual_end,
		        budget
		 FROM action WHERE id = $1 FOR UPDATE`,
		[id]
	);
	if (!cur)
		throw new AgendaError(msg('errors.agenda.noAction', { id }), { status: 404, field: 'form' });
	if (cur.version !== version) {
		throw VersionConflict.of(cur);
	}
	const moved = cur.status !== change.status || cur.progress !== change.progress;
	if (moved && !change.text.trim())
		throw new AgendaError(msg('errors.agenda.text'), { field: 'text' });
	if (change.status === 'afgerond' && change.progress !== 100)
		throw new AgendaError(msg('errors.agenda.done'), { field: 'progress' });
	const [{ version: next }] = await tx.query<{ version: number }>(
		`UPDATE action SET title = $2, owner = $3, status = $4, progress = $5, planned_start = $6, planned_end = $7,
		        actual_start = $8, actual_end = $9, budget = $10, version = version + 1, updated_at = $11, updated_by = $12
		 WHERE id = $1 RETURNING version`,
		[
			id,
			change.title,
			change.owner,
			change.status,
			change.progress,
			change.plannedStart,
			change.plannedEnd,
			change.actualStart,
			change.actualEnd,
			change.budget,
			now,
			actorLabel(actor)
		]
	);
	if (moved || change.text.trim()) {
		await tx.query(
			`INSERT INTO action_update (action_id, at, status_from, status_to, progress_from, progress_to, public_text) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			[id, now, cur.status, change.status, cur.progress, change.progress, change.text.trim()]
		);
	}
	const { text: _text, ...after } = change;
	await recordAudit(tx, {
		actor,
		action: 'action.update',
		entity: 'action',
		entityId: id,
		before: cur,
		after
	});
	return next;
}

/** The agenda id of a wijk's newest agenda, for the editing pages. */
export async function agendaIdOf(db: Sql, wijk: string): Promise<number | null> {
	const [r] = await db.query<{ id: number }>(
		`SELECT id FROM agenda WHERE wijk = $1 ORDER BY period_start DESC LIMIT 1`,
		[wijk]
	);
	return r?.id ?? null;
}

/** Adds an ambition to an agenda (staff editing). */
export async function addAmbition(
	tx: Sql,
	agendaId: number,
	m: Omit<Ambition, 'id' | 'goals' | 'actions'>,
	actor: Actor
): Promise<number> {
	const [theme] = await tx.query(`SELECT 1 FROM theme WHERE id = $1`, [m.theme]);
	if (!theme)
		throw new AgendaError(msg('errors.agenda.theme', { theme: m.theme }), { field: 'theme' });
	const id = await insertAmbition(tx, agendaId, m);
	await recordAudit(tx, {
		actor,
		action: 'ambition.create',
		entity: 'ambition',
		entityId: id,
		after: m
	});
	return id;
}

/** Adds an action under an ambition of the given wijk; its buurten must lie in that wijk. */
export async function addAction(
	tx: Sql,
	wijk: string,
	ambitionId: number,
	a: Action,
	actor: Actor,
	text: string
): Promise<number> {
	const [amb] = await tx.query(
		`SELECT 1 FROM ambition m JOIN agenda g ON g.id = m.agenda_id WHERE m.id = $1 AND g.wijk = $2`,
		[ambitionId, wijk]
	);
	if (!amb)
		throw new AgendaError(msg('errors.agenda.ambitionWijk', { id: ambitionId, wijk }), {
			status: 404,
			field: 'form'
		});
	const known = new Set(
		(await tx.query<{ code: string }>(`SELECT code FROM area WHERE parent = $1`, [wijk])).map(
			(b) => b.code
		)
	);
	const bad = a.buurten.find((b) => !known.has(b));
	if (bad)
		throw new AgendaError(msg('errors.agenda.buurt', { buurt: bad, wijk }), { field: 'buurten' });
	const now = new Date();
	const id = await insertAction(
		tx,
		ambitionId,
		{
			...a,
			updates: [
				{
					at: now.toISOString(),
					statusFrom: null,
					statusTo: a.status,
					progressFrom: null,
					progressTo: a.progress,
					text
				}
			]
		},
		actor,
		now
	);
	await recordAudit(tx, {
		actor,
		action: 'action.create',
		entity: 'action',
		entityId: id,
		after: a
	});
	return id;
}

/** Records a new measurement of a goal's indicator. */
export async function setGoalCurrent(
	tx: Sql,
	wijk: string,
	goalId: number,
	current: number | null,
	actor: Actor
): Promise<void> {
	const [before] = await tx.query<{ current: number | null }>(
		`SELECT g.current FROM goal g JOIN ambition m ON m.id = g.ambition_id JOIN agenda a ON a.id = m.agenda_id WHERE g.id = $1 AND a.wijk = $2 FOR UPDATE OF g`,
		[goalId, wijk]
	);
	if (!before)
		throw new AgendaError(msg('errors.agenda.goalWijk', { id: goalId, wijk }), {
			status: 404,
			field: 'form'
		});
	await tx.query(`UPDATE goal SET current = $2 WHERE id = $1`, [goalId, current]);
	await recordAudit(tx, {
		actor,
		action: 'goal.update',
		entity: 'goal',
		entityId: goalId,
		before,
		after: { current }
	});
}

/** The wijk an action belongs to, so a form for one wijk cannot edit another's actions. */
export async function wijkOfAction(db: Sql, actionId: number): Promise<string | null> {
	const [r] = await db.query<{ wijk: string }>(
		`SELECT g.wijk FROM action a JOIN ambition m ON m.id = a.ambition_id JOIN agenda g ON g.id = m.agenda_id WHERE a.id = $1`,
		[actionId]
	);
	return r?.wijk ?? null;
}
