import { describe, expect, it } from 'vitest';
import { dueAt, isOverdue } from '../../src/lib/domain/sla.ts';

describe('afhandeltermijn (SLA) and overdue', () => {
	const created = new Date('2025-03-28T10:00:00Z');

	it('fixes the deadline at creation plus SLA days of 24 hours, across the switch to summer time', () => {
		expect(dueAt(created, 5)!.toISOString()).toBe('2025-04-02T10:00:00.000Z');
		expect(dueAt(created, null)).toBeNull();
	});

	it('calls a melding overdue only while it is open and strictly past its deadline', () => {
		const due = dueAt(created, 3)!;
		const m = (status: string) => ({ layer: 'meldingen' as const, status, dueAt: due });
		expect(isOverdue(m('gemeld'), new Date('2025-03-31T10:00:01Z'))).toBe(true);
		expect(isOverdue(m('gemeld'), new Date('2025-03-31T10:00:00Z'))).toBe(false);
		for (const open of ['in_behandeling', 'ingepland', 'heropend'])
			expect(isOverdue(m(open), new Date('2025-05-01'))).toBe(true);
		for (const closed of ['afgehandeld', 'geannuleerd'])
			expect(isOverdue(m(closed), new Date('2025-05-01'))).toBe(false);
	});

	it('never calls other layers or meldingen without SLA overdue', () => {
		expect(
			isOverdue({ layer: 'projecten', status: 'ontwerp', dueAt: created }, new Date('2030-01-01'))
		).toBe(false);
		expect(
			isOverdue({ layer: 'meldingen', status: 'gemeld', dueAt: null }, new Date('2030-01-01'))
		).toBe(false);
	});
});
