import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/lib/domain/errors.ts';
import {
	agendaProgress,
	ambitionProgress,
	changesSince,
	goalProgress,
	parseAction,
	parseAgenda,
	type Action,
	type Agenda
} from '../../src/lib/domain/agenda.ts';

const action = (id: number, over: Partial<Action>): Action => ({
	id,
	title: `Actie ${id}`,
	description: '',
	owner: 'Wijkbureau',
	plannedStart: null,
	plannedEnd: null,
	actualStart: null,
	actualEnd: null,
	status: 'loopt',
	progress: 0,
	budget: null,
	geometry: null,
	buurten: [],
	items: [],
	...over
});
const upd = (
	at: string,
	statusFrom: Action['status'] | null,
	statusTo: Action['status'],
	progressFrom: number | null,
	progressTo: number,
	text = 'x'
) => ({ at: `${at}T12:00:00.000Z`, statusFrom, statusTo, progressFrom, progressTo, text });

describe('progress roll-up (equal weights, geschrapt left out)', () => {
	it('averages the actions of an ambition and the ambitions of an agenda', () => {
		const a = {
			actions: [
				action(1, { progress: 100, status: 'afgerond', budget: 1_000_000 }),
				action(2, { progress: 20, budget: 10 }),
				action(3, { progress: 90, status: 'geschrapt' })
			]
		};
		expect(ambitionProgress(a)).toBe(60);
		const b = { actions: [action(4, { progress: 30 })] };
		expect(agendaProgress({ ambitions: [a, b, { actions: [] }] as never })).toBe(45);
		expect(ambitionProgress({ actions: [] })).toBeNull();
		expect(agendaProgress({ ambitions: [] })).toBeNull();
	});

	it('measures a goal from baseline to target, also when the target is lower', () => {
		const g = {
			indicator: 'ongevallen',
			unit: '',
			baseline: 24,
			target: 15,
			current: 21,
			deadline: '2027-12-31'
		};
		expect(goalProgress(g)).toBeCloseTo(33.3, 1);
		expect(goalProgress({ ...g, current: 30 })).toBe(0);
		expect(goalProgress({ ...g, current: 10 })).toBe(100);
		expect(goalProgress({ ...g, current: null })).toBeNull();
	});
});

describe('changes since the previous wijkoverleg', () => {
	const agenda: Agenda = {
		wijk: 'W01',
		periodStart: 2025,
		periodEnd: 2028,
		title: 'Agenda',
		contacts: [],
		ambitions: [
			{
				theme: 'verkeer',
				title: 'Veilig verkeer',
				description: '',
				rank: 1,
				goals: [],
				actions: [
					action(1, {
						status: 'loopt',
						progress: 40,
						updates: [
							upd('2025-01-10', null, 'gepland', null, 0),
							upd('2026-03-01', 'gepland', 'loopt', 0, 40, 'Gestart')
						]
					}),
					action(2, {
						status: 'loopt',
						progress: 60,
						updates: [
							upd('2025-01-10', null, 'gepland', null, 0),
							upd('2025-06-01', 'gepland', 'loopt', 0, 30),
							upd('2026-03-05', 'loopt', 'loopt', 30, 60)
						]
					}),
					action(3, {
						status: 'vertraagd',
						progress: 30,
						updates: [
							upd('2025-01-10', null, 'gepland', null, 0),
							upd('2025-06-01', 'gepland', 'loopt', 0, 30),
							upd('2026-03-02', 'loopt', 'vertraagd', 30, 30, 'Aannemer later')
						]
					}),
					action(4, {
						status: 'gepland',
						progress: 0,
						updates: [upd('2026-03-03', null, 'gepland', null, 0, 'Nieuw')]
					}),
					action(5, {
						status: 'loopt',
						progress: 50,
						plannedEnd: '2026-03-10',
						updates: [upd('2025-01-10', null, 'loopt', null, 50)]
					}),
					action(6, {
						status: 'loopt',
						progress: 50,
						plannedEnd: '2026-01-10',
						updates: [upd('2025-01-10', null, 'loopt', null, 50)]
					})
				]
			}
		]
	};
	const c = changesSince(
		agenda,
		new Date('2026-02-15T00:00:00Z'),
		new Date('2026-03-20T00:00:00Z')
	);

	it('lists new actions, status changes and progress', () => {
		expect(c.added.map((a) => [a.id, a.text])).toEqual([[4, 'Nieuw']]);
		expect(c.statusChanged.map((a) => [a.id, a.from, a.to, a.text])).toEqual([
			[1, 'gepland', 'loopt', 'Gestart'],
			[3, 'loopt', 'vertraagd', 'Aannemer later']
		]);
		expect(c.progressed.map((a) => [a.id, a.from, a.to])).toEqual([
			[1, 0, 40],
			[2, 30, 60]
		]);
	});

	it('calls delayed actions and passed deadlines slipped, not older ones', () => {
		expect(c.slipped.map((a) => [a.id, a.reason])).toEqual([
			[3, 'vertraagd'],
			[5, 'termijn']
		]);
	});

	it('sees nothing when the date is after every change', () => {
		const none = changesSince(
			agenda,
			new Date('2026-03-15T00:00:00Z'),
			new Date('2026-03-16T00:00:00Z')
		);
		expect([none.added, none.statusChanged, none.progressed]).toEqual([[], [], []]);
	});
});

describe('agenda validation', () => {
	it('names the place of a mistake in Dutch and refuses phone numbers in contacts', () => {
		const ok = {
			wijk: 'W01',
			periodStart: 2025,
			periodEnd: 2028,
			title: 'A',
			ambitions: [
				{
					theme: 'verkeer',
					title: 'T',
					rank: 1,
					actions: [{ title: 'a', owner: 'o', status: 'loopt', progress: 10 }]
				}
			]
		};
		expect(parseAgenda(ok).ambitions[0].actions[0].status).toBe('loopt');
		expect(() =>
			parseAgenda({
				...ok,
				ambitions: [
					{
						...ok.ambitions[0],
						actions: [{ title: 'a', owner: 'o', status: 'klaar', progress: 10 }]
					}
				]
			})
		).toThrow(/ambitie 1, actie 1, status: status moet een van gepland/);
		expect(() =>
			parseAgenda({ ...ok, contacts: [{ role: 'wijkraad', name: 'X', phone: '0612345678' }] })
		).toThrow(/contact 1: .*"phone"/);
		expect(() =>
			parseAgenda({
				...ok,
				ambitions: [
					{
						...ok.ambitions[0],
						actions: [{ title: 'a', owner: 'o', status: 'afgerond', progress: 50 }]
					}
				]
			})
		).toThrow(/afgeronde actie heeft 100%/);
	});
});

describe('agenda validation messages in both languages', () => {
	const refusal = (fn: () => unknown): ValidationError => {
		try {
			fn();
		} catch (err) {
			if (err instanceof ValidationError) return err;
			throw err;
		}
		throw new Error('accepted');
	};
	const base = { title: 'Bankjes', owner: 'Wijkbureau', status: 'loopt', progress: 10 };

	it('a staff form gets each field in the asked language, with the same field', () => {
		const err = refusal(() =>
			parseAction({ ...base, status: 'klaar', progress: 'veel', title: 'x'.repeat(201) })
		);
		expect(err.status).toBe(400);
		expect(err.fieldsIn('nl')).toEqual({
			title: 'title: maximaal 200 tekens',
			status: 'status: status moet een van gepland, loopt, vertraagd, afgerond, geschrapt zijn',
			progress: 'progress: Ongeldige invoer: verwacht getal, ontving string'
		});
		expect(err.fieldsIn('en')).toEqual({
			title: 'title: at most 200 characters',
			status: 'status: status must be one of gepland, loopt, vertraagd, afgerond, geschrapt',
			progress: 'progress: Invalid input: expected number, received string'
		});
	});

	it('a nested problem in an agenda names its place in the asked language', () => {
		const err = refusal(() =>
			parseAgenda({
				wijk: '01',
				periodStart: 2026,
				periodEnd: 2025,
				title: 'Agenda',
				ambitions: [{ theme: 'groen', title: '', rank: 1, actions: [{ ...base, budget: -1 }] }]
			})
		);
		expect(err.messageIn('nl')).toBe(
			'ambitie 1, title: mag niet leeg zijn; ambitie 1, actie 1, budget: budget kan niet negatief zijn; periodEnd: de periode eindigt voor ze begint'
		);
		expect(err.messageIn('en')).toBe(
			'ambition 1, title: must not be empty; ambition 1, action 1, budget: budget cannot be negative; periodEnd: the period ends before it begins'
		);
	});
});
