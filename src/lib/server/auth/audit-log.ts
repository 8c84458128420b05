import type { Sql } from '../db/types.ts';
import { placeholders } from '../db/params.ts';

/** Reading the audit trail for /beheer/audit. There is no function that changes it. */
export interface AuditFilters {
	actor: string;
	action: string;
	entity: string;
	/** yyyy-mm-dd, days in Amsterdam time, both inclusive. */
	from: string;
	to: string;
}

export interface AuditRow {
	id: number;
	at: string;
	actor: string;
	actorEmail: string | null;
	action: string;
	entity: string;
	entityId: string | null;
	before: unknown;
	after: unknown;
	client: string | null;
}

export const AUDIT_PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditFilters(params: URLSearchParams): {
	filters: AuditFilters;
	page: number;
	badDates: ('from' | 'to')[];
} {
	const get = (k: string) => (params.get(k) ?? '').trim().slice(0, 200);
	const filters: AuditFilters = {
		actor: get('actor'),
		action: get('action'),
		entity: get('entity'),
		from: get('from'),
		to: get('to')
	};
	const badDates = (['from', 'to'] as const).filter(
		(k) => filters[k] !== '' && (!DATE.test(filters[k]) || Number.isNaN(Date.parse(filters[k])))
	);
	for (const k of badDates) filters[k] = '';
	const page = Math.max(1, Math.min(100_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
	return { filters, page, badDates };
}

export async function readAudit(
	sql: Sql,
	f: AuditFilters,
	page: number
): Promise<{ rows: AuditRow[]; total: number }> {
	const where: string[] = [];
	const args: unknown[] = [];
	const arg = placeholders(args);
	if (f.actor) {
		const p = arg(`%${f.actor.replace(/[\\%_]/g, '\\$&')}%`);
		where.push(`(actor ILIKE ${p} OR actor_email ILIKE ${p})`);
	}
	// An action like "login" also finds "login.failed"; item.* finds every item action.
	if (f.action)
		where.push(
			`(action = ${arg(f.action)} OR action LIKE ${arg(`${f.action.replace(/\*$/, '').replace(/[\\%_]/g, '\\$&')}.%`)})`
		);
	if (f.entity) where.push(`entity = ${arg(f.entity)}`);
	if (f.from) where.push(`at >= (${arg(f.from)}::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'`);
	if (f.to)
		where.push(`at < ((${arg(f.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')`);
	const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
	const [{ n }] = await sql.query<{ n: number }>(
		`SELECT count(*) AS n FROM audit_log ${cond}`,
		args
	);
	const rows = await sql.query<{
		id: number;
		at: Date;
		actor: string;
		actor_email: string | null;
		action: string;
		entity: string;
		entity_id: string | null;
		before: unknown;
		after: unknown;
		client: string | null;
	}>(
		`SELECT id, at, actor, actor_email, action, entity, entity_id, before, after, client FROM audit_log ${cond}
		 ORDER BY at DESC, id DESC LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${arg((page - 1) * AUDIT_PAGE_SIZE)}`,
		args
	);
	return {
		total: n,
		rows: rows.map((r) => ({
			id: r.id,
			at: r.at.toISOString(),
			actor: r.actor,
			actorEmail: r.actor_email,
			action: r.action,
			entity: r.entity,
			entityId: r.entity_id,
			before: r.before,
			after: r.after,
			client: r.client
		}))
	};
}

/** The distinct actions and entities, for the filter choices. */
export async function auditVocabulary(
	sql: Sql
): Promise<{ actions: string[]; entities: string[] }> {
	const actions = await sql.query<{ v: string }>(
		'SELECT DISTINCT action AS v FROM audit_log ORDER BY 1'
	);
	const entities = await sql.query<{ v: string }>(
		'SELECT DISTINCT entity AS v FROM audit_log ORDER BY 1'
	);
	return { actions: actions.map((r) => r.v), entities: entities.map((r) => r.v) };
}
