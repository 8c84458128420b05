import { msg, ValidationError, type FieldMessages } from './errors.ts';
import { hasMessage, type Lang, type Message, type MessageParams } from '../i18n/localize.ts';
import { z } from 'zod';
import type { Geometry } from 'geojson';

/**
 * The wijkagenda: per wijk per period, ambitions (each with SMART goals) and under each
 * ambition the actions of the wijkactieprogramma. Pure rules: validation, progress roll-up
 * and the "sinds het vorige wijkoverleg" diff.
 */
export const ACTION_STATUSES = ['gepland', 'loopt', 'vertraagd', 'afgerond', 'geschrapt'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Readable on a projector and for colour-blind viewers: each pairs with a text label anyway. */
export const ACTION_STATUS_COLORS: Record<ActionStatus, string> = {
	gepland: '#5c6670',
	loopt: '#0b63b6',
	vertraagd: '#b35900',
	afgerond: '#1f7a3a',
	geschrapt: '#8a1c1c'
};

export interface Goal {
	id?: number;
	indicator: string;
	unit: string;
	baseline: number;
	target: number;
	current: number | null;
	/** YYYY-MM-DD */
	deadline: string;
}

export interface ActionUpdate {
	/** ISO timestamp */
	at: string;
	statusFrom: ActionStatus | null;
	statusTo: ActionStatus;
	progressFrom: number | null;
	progressTo: number;
	text: string;
}

export interface Action {
	id?: number;
	title: string;
	description: string;
	owner: string;
	plannedStart: string | null;
	plannedEnd: string | null;
	actualStart: string | null;
	actualEnd: string | null;
	status: ActionStatus;
	progress: number;
	budget: number | null;
	geometry: Geometry | null;
	buurten: string[];
	/** Linked item ids (projects, initiatives, meetings, meldingen). */
	items: number[];
	version?: number;
	/** Oldest first; the first entry (statusFrom null) is the creation. */
	updates?: ActionUpdate[];
}

export interface Ambition {
	id?: number;
	theme: string;
	title: string;
	description: string;
	rank: number;
	goals: Goal[];
	actions: Action[];
}

/** A contact by role (wijkregisseur, wijkraad, …): an office address, never a personal phone. */
export interface Contact {
	role: string;
	name: string;
	email: string | null;
	url: string | null;
}

export interface Agenda {
	id?: number;
	wijk: string;
	periodStart: number;
	periodEnd: number;
	title: string;
	contacts: Contact[];
	ambitions: Ambition[];
}

const date = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'errors.agendaForm.dateFormat')
	.refine(
		(d) =>
			!Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
			new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
		'errors.agendaForm.date'
	);
const position = z
	.array(z.number())
	.min(2)
	.max(3)
	.refine(
		([lon, lat]) => Math.abs(lon) <= 180 && Math.abs(lat) <= 90,
		'errors.agendaForm.coordinate'
	);
const geometry = z.union(
	[
		z.object({ type: z.literal('Point'), coordinates: position }),
		z.object({ type: z.literal('MultiPoint'), coordinates: z.array(position).min(1) }),
		z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
		z.object({
			type: z.literal('MultiLineString'),
			coordinates: z.array(z.array(position).min(2)).min(1)
		}),
		z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }),
		z.object({
			type: z.literal('MultiPolygon'),
			coordinates: z.array(z.array(z.array(position).min(4)).min(1)).min(1)
		})
	],
	{
		error: 'errors.agendaForm.geometry'
	}
);
const text = (max: number) =>
	z.string().trim().min(1, 'errors.agendaForm.empty').max(max, 'errors.agendaForm.tooLong');

const goalSchema = z.object({
	indicator: text(200),
	unit: z.string().trim().max(40).default(''),
	baseline: z.number(),
	target: z.number(),
	current: z.number().nullable().default(null),
	deadline: date
});

const actionSchema = z
	.object({
		title: text(200),
		description: z.string().trim().max(4000).default(''),
		owner: text(200),
		plannedStart: date.nullable().default(null),
		plannedEnd: date.nullable().default(null),
		actualStart: date.nullable().default(null),
		actualEnd: date.nullable().default(null),
		status: z.enum(ACTION_STATUSES, { error: 'errors.agendaForm.status' }),
		progress: z.number().int('errors.agendaForm.progressInt').min(0).max(100),
		budget: z.number().min(0, 'errors.agendaForm.budget').nullable().default(null),
		geometry: geometry.nullable().default(null),
		buurten: z.array(z.string().trim().min(1)).default([]),
		items: z.array(z.number().int().positive()).default([]),
		updates: z
			.array(
				z.object({
					at: z.iso.datetime({ offset: true }),
					statusFrom: z.enum(ACTION_STATUSES).nullable(),
					statusTo: z.enum(ACTION_STATUSES),
					progressFrom: z.number().int().min(0).max(100).nullable(),
					progressTo: z.number().int().min(0).max(100),
					text: text(2000)
				})
			)
			.optional()
	})
	.refine((a) => !a.plannedStart || !a.plannedEnd || a.plannedEnd >= a.plannedStart, {
		message: 'errors.agendaForm.plannedEnd',
		path: ['plannedEnd']
	})
	.refine((a) => !a.actualStart || !a.actualEnd || a.actualEnd >= a.actualStart, {
		message: 'errors.agendaForm.actualEnd',
		path: ['actualEnd']
	})
	.refine((a) => a.status !== 'afgerond' || a.progress === 100, {
		message: 'errors.agenda.done',
		path: ['progress']
	});

const ambitionSchema = z.object({
	theme: z.string().trim().min(1, 'errors.agendaForm.theme'),
	title: text(200),
	description: z.string().trim().max(4000).default(''),
	rank: z.number().int().min(1),
	goals: z.array(goalSchema).default([]),
	actions: z.array(actionSchema).default([])
});

export const agendaSchema = z
	.object({
		wijk: text(40),
		periodStart: z.number().int().min(2000).max(2100),
		periodEnd: z.number().int().min(2000).max(2100),
		title: text(200),
		// strictObject: a phone number (or any other personal field) is refused, not silently kept.
		contacts: z
			.array(
				z.strictObject({
					role: text(60),
					name: text(120),
					email: z.email('errors.agendaForm.email').nullable().default(null),
					url: z
						.url({ protocol: /^https?$/, error: 'errors.agendaForm.url' })
						.nullable()
						.default(null)
				})
			)
			.default([]),
		ambitions: z.array(ambitionSchema).min(1, 'errors.agendaForm.ambitions')
	})
	.refine((a) => a.periodEnd >= a.periodStart, {
		message: 'errors.agendaForm.period',
		path: ['periodEnd']
	});

const LOCALES = { nl: z.locales.nl().localeError, en: z.locales.en().localeError };

const PATH_NAMES: Record<Lang, Record<string, string>> = {
	nl: {
		ambitions: 'ambitie',
		actions: 'actie',
		goals: 'doel',
		updates: 'wijziging',
		contacts: 'contact'
	},
	en: {
		ambitions: 'ambition',
		actions: 'action',
		goals: 'goal',
		updates: 'change',
		contacts: 'contact'
	}
};

/** "ambitions.1.actions.0.status" → "ambitie 2, actie 1, status" (or in English). */
function where(path: PropertyKey[], lang: Lang): string {
	const names = PATH_NAMES[lang];
	const out: string[] = [];
	for (let i = 0; i < path.length; i++) {
		const key = String(path[i]);
		if (key in names && typeof path[i + 1] === 'number')
			out.push(`${names[key]} ${(path[++i] as number) + 1}`);
		else out.push(key);
	}
	return out.join(', ');
}

/** What a catalogue code of this schema names, taken from the check that failed. */
function issueParams(issue: z.core.$ZodIssue): MessageParams | undefined {
	if (issue.message === 'errors.agendaForm.status') return { allowed: ACTION_STATUSES.join(', ') };
	if (issue.code === 'too_big') return { max: Number(issue.maximum) };
	return undefined;
}

/**
 * The schema's verdict on `input`: its data, or at most five problems as messages, each with
 * where it is. A check of our own names a catalogue code; zod's own wording (a number where
 * text was expected, …) is taken in both languages from zod's locales, by a second parse in
 * English (issues come in the same order), so an English form shows English throughout.
 */
function check<T>(
	schema: z.ZodType<T>,
	input: unknown
):
	| { data: T; problems?: never }
	| { data?: never; problems: { path: PropertyKey[]; message: Message }[] } {
	const nl = schema.safeParse(input, { error: LOCALES.nl });
	if (nl.success) return { data: nl.data };
	const en = schema.safeParse(input, { error: LOCALES.en });
	const problems = nl.error.issues.slice(0, 5).map((issue, k) => {
		const problem = hasMessage(issue.message)
			? msg(issue.message, issueParams(issue))
			: msg('errors.agendaForm.zod', {
					text: { nl: issue.message, en: en.error?.issues[k]?.message ?? issue.message }
				});
		const message = issue.path.length
			? msg('errors.agendaForm.at', {
					where: { nl: where(issue.path, 'nl'), en: where(issue.path, 'en') },
					problem
				})
			: problem;
		return { path: issue.path, message };
	});
	return { problems };
}

/** Validates an agenda from JSON or a form; refuses with one line per problem (at most five). */
export function parseAgenda(input: unknown): Agenda {
	const res = check(agendaSchema, input);
	if (res.problems) {
		const fields: FieldMessages = {};
		for (const p of res.problems) fields[p.path.join('.') || 'form'] ??= p.message;
		throw new ValidationError(fields);
	}
	return res.data as Agenda;
}

export function parseAction(input: unknown): Action {
	const res = check(actionSchema, input);
	if (res.problems) {
		// Each problem at its own form field (the first path element), as the form shows it.
		const fields: FieldMessages = {};
		for (const p of res.problems) fields[String(p.path[0] ?? 'form')] ??= p.message;
		throw new ValidationError(fields);
	}
	return res.data as Action;
}

/**
 * Roll-up as Decidim's accountability: a parent's progress is the plain mean of its children,
 * each child weighing the same (not by budget, which is often unknown or not comparable).
 * Cancelled actions (geschrapt) do not count; a parent with nothing left to count has no
 * progress (null), which the page shows as "nog geen acties".
 */
export function ambitionProgress(ambition: Pick<Ambition, 'actions'>): number | null {
	const live = ambition.actions.filter((a) => a.status !== 'geschrapt');
	if (!live.length) return null;
	return round1(live.reduce((s, a) => s + a.progress, 0) / live.length);
}

export function agendaProgress(agenda: Pick<Agenda, 'ambitions'>): number | null {
	const parts = agenda.ambitions.map(ambitionProgress).filter((p): p is number => p !== null);
	if (!parts.length) return null;
	return round1(parts.reduce((s, p) => s + p, 0) / parts.length);
}

/** How far an indicator has come from baseline to target, 0…100; null without a measurement. */
export function goalProgress(goal: Goal): number | null {
	if (goal.current === null) return null;
	if (goal.target === goal.baseline) return goal.current === goal.target ? 100 : 0;
	const share = (goal.current - goal.baseline) / (goal.target - goal.baseline);
	return round1(Math.max(0, Math.min(1, share)) * 100);
}

function round1(n: number): number {
	return Math.round(n * 10) / 10;
}

export interface ActionRef {
	id: number;
	title: string;
	ambition: string;
}
export interface ChangeSummary {
	since: string;
	/** Actions created after the date. */
	added: (ActionRef & { status: ActionStatus; text: string })[];
	/** Actions whose status differs from what it was on the date. */
	statusChanged: (ActionRef & { from: ActionStatus; to: ActionStatus; text: string })[];
	/** Progress went up (and the action is not new). */
	progressed: (ActionRef & { from: number; to: number })[];
	/** Delayed since the date, progress went down, or the planned end passed unfinished. */
	slipped: (ActionRef & {
		reason: 'vertraagd' | 'achteruit' | 'termijn';
		plannedEnd: string | null;
	})[];
}

/** A change to a public item on the map of a wijk (not to the agenda). */
export interface ItemChange {
	id: number;
	layer: string;
	title: string;
	at: string;
	/** Status before and after; for a new item, `to` is its status now. */
	from: string | null;
	to: string | null;
	/** The public text of a status change or answer; empty for a new item. */
	text: string;
}
export interface ItemChanges {
	/** Items that appeared on the map. */
	added: ItemChange[];
	statusChanged: ItemChange[];
	/** Public texts without a status change: answers, notes, "opgelost" from the reporter. */
	answered: ItemChange[];
}

/** The groups of the "since the previous wijkoverleg" list, in the order they are read. */
export const SINCE_GROUPS = [
	'added',
	'status',
	'progressed',
	'slipped',
	'itemAdded',
	'itemStatus',
	'itemAnswer'
] as const;
export type SinceGroup = (typeof SINCE_GROUPS)[number];

/** The map key of a changed item (an overlay feature of its own; actions are `a<id>`). */
export const changedItemKey = (id: number) => `c${id}`;

/**
 * The map key of every entry of the "since" list, in reading order (SINCE_GROUPS): entry k of
 * the list is drawn as key k, so a slide of entries [from, to) highlights exactly those.
 */
export function sinceKeys(c: ChangeSummary, i: ItemChanges): string[] {
	const action = (x: { id: number }) => `a${x.id}`;
	const item = (x: ItemChange) => changedItemKey(x.id);
	return [
		...c.added.map(action),
		...c.statusChanged.map(action),
		...c.progressed.map(action),
		...c.slipped.map(action),
		...i.added.map(item),
		...i.statusChanged.map(item),
		...i.answered.map(item)
	];
}

/**
 * What changed in the agenda since `since` (the previous wijkoverleg), from each action's
 * public history. Pure: `now` decides which planned ends have passed.
 */
export function changesSince(agenda: Agenda, since: Date, now: Date): ChangeSummary {
	const out: ChangeSummary = {
		since: since.toISOString(),
		added: [],
		statusChanged: [],
		progressed: [],
		slipped: []
	};
	const sinceDay = since.toISOString().slice(0, 10);
	const today = now.toISOString().slice(0, 10);
	for (const amb of agenda.ambitions) {
		for (const a of amb.actions) {
			if (a.id === undefined) continue;
			const ref = { id: a.id, title: a.title, ambition: amb.title };
			const history = [...(a.updates ?? [])].sort((x, y) => x.at.localeCompare(y.at));
			const after = history.filter((u) => new Date(u.at) > since);
			const last = after[after.length - 1];
			const created = history[0];
			if (created && created.statusFrom === null && new Date(created.at) > since) {
				out.added.push({ ...ref, status: a.status, text: last?.text ?? created.text });
				continue;
			}
			if (after.length) {
				const before = after[0];
				const fromStatus = before.statusFrom ?? before.statusTo;
				const fromProgress = before.progressFrom ?? before.progressTo;
				if (fromStatus !== a.status) {
					const lastStatus = [...after].reverse().find((u) => u.statusFrom !== u.statusTo) ?? last;
					out.statusChanged.push({ ...ref, from: fromStatus, to: a.status, text: lastStatus.text });
				}
				if (a.progress > fromProgress)
					out.progressed.push({ ...ref, from: fromProgress, to: a.progress });
				if (a.status === 'vertraagd' && fromStatus !== 'vertraagd') {
					out.slipped.push({ ...ref, reason: 'vertraagd', plannedEnd: a.plannedEnd });
					continue;
				}
				if (a.progress < fromProgress) {
					out.slipped.push({ ...ref, reason: 'achteruit', plannedEnd: a.plannedEnd });
					continue;
				}
			}
			const open = a.status !== 'afgerond' && a.status !== 'geschrapt';
			if (open && a.plannedEnd && a.plannedEnd >= sinceDay && a.plannedEnd < today) {
				out.slipped.push({ ...ref, reason: 'termijn', plannedEnd: a.plannedEnd });
			}
		}
	}
	return out;
}

/** Sorting the agenda as it is read: ambitions by rank. */
export function byRank<T extends { rank: number }>(list: T[]): T[] {
	return [...list].sort((a, b) => a.rank - b.rank);
}
