import type { Sql } from './db/types.ts';
import type { StaffUser } from '$lib/domain/staff';

/** Who wrote: a staff member, an import command, a resident submission or the system. */
export type Actor =
	| { kind: 'user'; user: Pick<StaffUser, 'id' | 'email'> }
	| { kind: 'import'; command: string }
	| { kind: 'resident' }
	| { kind: 'system' };

export interface AuditEntry {
	actor: Actor;
	action: string;
	entity: string;
	entityId?: string | number | null;
	before?: unknown;
	after?: unknown;
	client?: string | null;
}

export function actorId(actor: Actor): string {
	switch (actor.kind) {
		case 'user':
			return `user:${actor.user.id}`;
		case 'import':
			return `import:${actor.command}`;
		default:
			return actor.kind;
	}
}

/**
 * Record a write in the append-only audit trail. Call it with the transaction that makes the
 * write, so the entry exists exactly when the write does.
 */
export async function recordAudit(sql: Sql, entry: AuditEntry): Promise<void> {
	await sql.query(
		`INSERT INTO audit_log (actor, actor_email, action, entity, entity_id, before, after, client)
		 VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
		[
			actorId(entry.actor),
			entry.actor.kind === 'user' ? entry.actor.user.email : null,
			entry.action,
			entry.entity,
			entry.entityId == null ? null : String(entry.entityId),
			entry.before === undefined ? null : JSON.stringify(entry.before),
			entry.after === undefined ? null : JSON.stringify(entry.after),
			entry.client ?? null
		]
	);
}
