import { statusDef, type Layer } from './layers.ts';

/**
 * Afhandeltermijn: a melding is overdue when it is still open and its SLA has run out.
 * The deadline is fixed when the melding is made (created_at + SLA days of 24 hours), as in
 * Signalen, so a later change of the category's SLA does not rewrite history.
 * The store applies the same rule in SQL: `due_at < now() AND status IN (open statuses)`.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export function dueAt(createdAt: Date, slaDays: number | null | undefined): Date | null {
	if (slaDays === null || slaDays === undefined) return null;
	return new Date(createdAt.getTime() + slaDays * DAY_MS);
}

export function isOverdue(
	item: { layer: Layer; status: string; dueAt: Date | null },
	now: Date = new Date()
): boolean {
	if (item.layer !== 'meldingen' || !item.dueAt) return false;
	return Boolean(statusDef(item.layer, item.status)?.open) && item.dueAt.getTime() < now.getTime();
}
