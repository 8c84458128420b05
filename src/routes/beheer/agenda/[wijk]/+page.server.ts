import { error } from '@sveltejs/kit';
import { msg, NotFoundError, ValidationError } from '$lib/domain/errors';
import type { Lang } from '$lib/i18n/localize';
import { actionFailure, isAnswerable } from '$lib/server/http/errors';
import { ACTION_STATUSES, parseAction, type ActionStatus } from '$lib/domain/agenda';
import type { Actor } from '$lib/server/audit';
import {
	addAction,
	addAmbition,
	agendaIdOf,
	getAgenda,
	setGoalCurrent,
	updateAction,
	VersionConflict,
	wijkOfAction
} from '$lib/server/agenda/store';
import { placeFromForm, setActionPlace } from '$lib/server/agenda/place';
import { getArea, listLevels } from '$lib/server/areas';
import { bbox } from '@turf/bbox';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { Actions, PageServerLoad } from './$types';

/**
 * Staff edit the wijkagenda here. Who may do so is decided by the central guard (accounts);
 * these handlers only need someone to name in the audit trail.
 */
function actorOf(locals: App.Locals): Actor {
	if (!locals.user) error(401, 'Log in als medewerker om de wijkagenda te bewerken.');
	return { kind: 'user', user: locals.user };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	actorOf(locals);
	const area = await getArea(locals.db, params.wijk, 'wijk');
	if (!area) error(404, `Er is geen wijk met code "${params.wijk}".`);
	const agenda = await getAgenda(locals.db, params.wijk);
	if (!agenda)
		error(
			404,
			`Wijk ${area.feature.properties.name} heeft nog geen wijkagenda; importeer er een met npm run import -- agenda.`
		);
	const [minX, minY, maxX, maxY] = bbox(area.feature);
	return {
		wijk: { code: params.wijk, name: area.feature.properties.name },
		/** For drawing an action's place: the wijk's extent and the area levels to outline. */
		bounds: [
			[minX, minY],
			[maxX, maxY]
		] as [[number, number], [number, number]],
		levels: (await listLevels(locals.db)).map((l) => l.name),
		buurten: area.children.map((c) => ({ code: c.code, name: c.name })),
		agenda,
		statuses: ACTION_STATUSES,
		themes: taxonomy().themes.map((t) => ({ id: t.id, nl: t.nl }))
	};
};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
const optDate = (f: FormData, k: string) => str(f, k) || null;
const optNum = (f: FormData, k: string) =>
	str(f, k) === '' ? null : Number(str(f, k).replace(',', '.'));

/** Form fields → the action shape; Dutch errors per field for the form. */
function actionFromForm(f: FormData) {
	return {
		title: str(f, 'title'),
		description: str(f, 'description'),
		owner: str(f, 'owner'),
		status: str(f, 'status') as ActionStatus,
		progress: Number(str(f, 'progress')),
		budget: optNum(f, 'budget'),
		plannedStart: optDate(f, 'plannedStart'),
		plannedEnd: optDate(f, 'plannedEnd'),
		actualStart: optDate(f, 'actualStart'),
		actualEnd: optDate(f, 'actualEnd')
	};
}

/**
 * A refused submission as this page shows it: beside `field` ('form' for the whole form) of the
 * form with this `id`, in the resident's language; anything not an AppError is a bug and rethrown.
 */
function refused(
	err: unknown,
	lang: Lang,
	id: string | number,
	extra: Record<string, unknown> = {}
) {
	if (!isAnswerable(err)) throw err;
	return actionFailure(err, lang, {
		id,
		field: err.field ?? 'form',
		error: err.messageIn(lang),
		...extra
	});
}

export const actions: Actions = {
	/** Change an action; status or progress changes need the public text. */
	action: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const id = Number(str(f, 'id'));
		const version = Number(str(f, 'version'));
		const text = str(f, 'text');
		// A non-numeric id must not reach the bigint column: the store would refuse it with a 500.
		if (!Number.isSafeInteger(id) || (await wijkOfAction(locals.db, id)) !== params.wijk)
			return refused(new NotFoundError(msg('errors.agenda.actionHere', { id })), locals.lang, id);
		const input = actionFromForm(f);
		try {
			const checked = parseAction({ ...input, items: [], buurten: [] });
			await locals.db.transaction((tx) =>
				updateAction(tx, id, version, { ...checked, text }, actor)
			);
			return { id, saved: true };
		} catch (err) {
			return refused(
				err,
				locals.lang,
				id,
				err instanceof VersionConflict ? {} : { values: { ...input, text } }
			);
		}
	},
	/** A new action under an ambition, placed on buurten of the wijk. */
	newAction: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const ambition = Number(str(f, 'ambition'));
		const text = str(f, 'text') || 'Actie toegevoegd aan de wijkagenda.';
		// As for the action id: the store would answer a non-numeric ambition with its own error text.
		if (!Number.isSafeInteger(ambition))
			return refused(
				new NotFoundError(msg('errors.agenda.ambitionHere')),
				locals.lang,
				`new-${str(f, 'ambition')}`
			);
		try {
			const action = parseAction({
				...actionFromForm(f),
				buurten: f.getAll('buurten').map(String),
				items: []
			});
			await locals.db.transaction((tx) =>
				addAction(tx, params.wijk, ambition, action, actor, text)
			);
			return { created: 'action' };
		} catch (err) {
			return refused(err, locals.lang, `new-${ambition}`);
		}
	},
	/** Where an action happens (drawn, typed or buurten) and the items it is linked to. */
	place: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const id = Number(str(f, 'id'));
		if (!Number.isSafeInteger(id))
			return refused(
				new NotFoundError(msg('errors.agenda.actionHere', { id: str(f, 'id').slice(0, 20) })),
				locals.lang,
				`place-${str(f, 'id').slice(0, 20)}`
			);
		const typed = {
			items: str(f, 'items'),
			lat: str(f, 'lat'),
			lon: str(f, 'lon'),
			rdX: str(f, 'rdX'),
			rdY: str(f, 'rdY'),
			text: str(f, 'text')
		};
		try {
			const place = placeFromForm(f);
			await locals.db.transaction((tx) =>
				setActionPlace(tx, params.wijk, id, Number(str(f, 'version')), place, actor)
			);
			return { id: `place-${id}`, saved: true };
		} catch (err) {
			return refused(err, locals.lang, `place-${id}`, { typed });
		}
	},
	newAmbition: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const agendaId = await agendaIdOf(locals.db, params.wijk);
		if (!agendaId)
			return refused(new NotFoundError(msg('errors.agenda.noAgenda')), locals.lang, 'ambition');
		const title = str(f, 'title');
		if (!title)
			return refused(
				new ValidationError({ title: msg('errors.agenda.ambitionTitle') }),
				locals.lang,
				'ambition'
			);
		try {
			await locals.db.transaction((tx) =>
				addAmbition(
					tx,
					agendaId,
					{
						theme: str(f, 'theme'),
						title,
						description: str(f, 'description'),
						rank: Number(str(f, 'rank')) || 99
					},
					actor
				)
			);
			return { created: 'ambition' };
		} catch (err) {
			return refused(err, locals.lang, 'ambition');
		}
	},
	goal: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const id = Number(str(f, 'id'));
		if (!Number.isSafeInteger(id))
			return refused(
				new NotFoundError(msg('errors.agenda.goalHere')),
				locals.lang,
				`goal-${str(f, 'id')}`
			);
		const current = optNum(f, 'current');
		if (current !== null && !Number.isFinite(current))
			return refused(
				new ValidationError({ current: msg('errors.agenda.measurement') }),
				locals.lang,
				`goal-${id}`
			);
		try {
			await locals.db.transaction((tx) => setGoalCurrent(tx, params.wijk, id, current, actor));
			return { id: `goal-${id}`, saved: true };
		} catch (err) {
			return refused(err, locals.lang, `goal-${id}`);
		}
	}
};
