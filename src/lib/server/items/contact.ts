import { recordAudit } from '../audit.ts';
import type { Db } from '../db/types.ts';
import type { WriteContext } from './edit.ts';

export interface ReporterContact {
	email: string | null;
	phone: string | null;
	name: string | null;
}

/**
 * The submitter's contact details, for staff only and never on a public page: each reading is
 * an audit entry (who, which item; not the address itself), in the same transaction.
 */
export async function readContact(
	db: Db,
	itemId: number,
	ctx: WriteContext
): Promise<ReporterContact | null> {
	return db.transaction(async (tx) => {
		const [row] = await tx.query<ReporterContact>(
			`SELECT email, phone, name FROM melding_contact WHERE item_id = $1`,
			[itemId]
		);
		await recordAudit(tx, {
			actor: { kind: 'user', user: ctx.actor },
			action: 'contact.read',
			entity: 'item',
			entityId: itemId,
			client: ctx.client
		});
		return row && (row.email || row.phone || row.name) ? row : null;
	});
}
