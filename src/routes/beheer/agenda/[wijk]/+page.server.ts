import { error, fail } from '@sveltejs/kit';
import { ACTION_STATUSES, parseAction, type ActionStatus } from '$lib/domain/agenda';
import type { Actor } from '$lib/server/audit';
import { addAction, addAmbition, agendaIdOf, AgendaError, getAgenda, setGoalCurrent, updateAction, VersionConflict, wijkOfAction } from '$lib/server/agenda/store';
import { placeFromForm, setActionPlace } from '$lib/server/agenda/place';
import { getArea, listLevels } from '$lib/server/areas';
import { ValidationError } from '$lib/domain/item-edit';
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
	if (!agenda) error(404, `Wijk ${area.feature.properties.name} heeft nog geen wijkagenda; importeer er een met npm run import -- agenda.`);
	const [minX, minY, maxX, maxY] = bbox(area.feature);
	return {
		wijk: { code: params.wijk, name: area.feature.properties.name },
		/** For drawing an action's place: the wijk's extent and the area levels to outline. */
		bounds: [[minX, minY], [maxX, maxY]] as [[number, number], [number, number]],
		levels: (await listLevels(locals.db)).map((l) => l.name),
		buurten: area.children.map((c) => ({ code: c.code, name: c.name })),
		agenda,
		statuses: ACTION_STATUSES,
		themes: taxonomy().themes.map((t) => ({ id: t.id, nl: t.nl }))
	};
};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
const optDate = (f: FormData, k: string) => str(f, k) || null;
const optNum = (f: FormData, k: string) => (str(f, k) === '' ? null : Number(str(f, k).replace(',', '.')));

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

function fieldOf(message: string): string {
	if (message.includes('toelichting')) return 'text';
	const m = /^(title|owner|status|progress|budget|plannedStart|plannedEnd|actualStart|actualEnd|text)\b/.exec(message);
	return m?.[1] ?? 'form';
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
		if (!Number.isSafeInteger(id) || (await wijkOfAction(locals.db, id)) !== params.wijk) return fail(404, { id, field: 'form', error: `Actie ${id} hoort niet bij deze wijk.` });
		const input = actionFromForm(f);
		try {
			const checked = parseAction({ ...input, items: [], buurten: [] });
			await locals.db.transaction((tx) => updateAction(tx, id, version, { ...checked, text }, actor));
			return { id, saved: true };
		} catch (err) {
			const message = (err as Error).message;
			if (err instanceof VersionConflict) return fail(409, { id, field: 'form', error: message });
			return fail(400, { id, field: fieldOf(message), error: message, values: { ...input, text } });
		}
	},
	/** A new action under an ambition, placed on buurten of the wijk. */
	newAction: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const ambition = Number(str(f, 'ambition'));
		const text = str(f, 'text') || 'Actie toegevoegd aan de wijkagenda.';
		// As for the action id: the store would answer a non-numeric ambition with its own error text.
		if (!Number.isSafeInteger(ambition)) return fail(404, { id: `new-${str(f, 'ambition')}`, field: 'form', error: 'Deze ambitie hoort niet bij deze wijk.' });
		try {
			const action = parseAction({ ...actionFromForm(f), buurten: f.getAll('buurten').map(String), items: [] });
			await locals.db.transaction((tx) => addAction(tx, params.wijk, ambition, action, actor, text));
			return { created: 'action' };
		} catch (err) {
			const message = (err as Error).message;
			return fail(400, { id: `new-${ambition}`, field: fieldOf(message), error: message });
		}
	},
	/** Where an action happens (drawn, typed or buurten) and the items it is linked to. */
	place: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const id = Number(str(f, 'id'));
		if (!Number.isSafeInteger(id)) return fail(404, { id: `place-${str(f, 'id').slice(0, 20)}`, field: 'form', error: 'Deze actie hoort niet bij deze wijk.' });
		const typed = { items: str(f, 'items'), lat: str(f, 'lat'), lon: str(f, 'lon'), rdX: str(f, 'rdX'), rdY: str(f, 'rdY'), text: str(f, 'text') };
		try {
			const place = placeFromForm(f);
			await locals.db.transaction((tx) => setActionPlace(tx, params.wijk, id, Number(str(f, 'version')), place, actor));
			return { id: `place-${id}`, saved: true };
		} catch (err) {
			if (err instanceof VersionConflict) return fail(409, { id: `place-${id}`, field: 'form', error: err.message, typed });
			if (!(err instanceof ValidationError)) throw err;
			const [field, message] = Object.entries(err.fields)[0] ?? ['form', err.message];
			return fail(field === 'form' ? 404 : 400, { id: `place-${id}`, field, error: message, typed });
		}
	},
	newAmbition: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const agendaId = await agendaIdOf(locals.db, params.wijk);
		if (!agendaId) return fail(404, { id: 'ambition', field: 'form', error: 'Deze wijk heeft geen wijkagenda.' });
		const title = str(f, 'title');
		if (!title) return fail(400, { id: 'ambition', field: 'title', error: 'Geef de ambitie een titel.' });
		try {
			await locals.db.transaction((tx) =>
				addAmbition(tx, agendaId, { theme: str(f, 'theme'), title, description: str(f, 'description'), rank: Number(str(f, 'rank')) || 99 }, actor)
			);
			return { created: 'ambition' };
		} catch (err) {
			return fail(400, { id: 'ambition', field: 'theme', error: (err as Error).message });
		}
	},
	goal: async ({ locals, params, request }) => {
		const actor = actorOf(locals);
		const f = await request.formData();
		const id = Number(str(f, 'id'));
		if (!Number.isSafeInteger(id)) return fail(404, { id: `goal-${str(f, 'id')}`, field: 'form', error: 'Dit doel hoort niet bij deze wijk.' });
		const current = optNum(f, 'current');
		if (current !== null && !Number.isFinite(current)) return fail(400, { id: `goal-${id}`, field: 'current', error: 'De meting moet een getal zijn.' });
		try {
			await locals.db.transaction((tx) => setGoalCurrent(tx, params.wijk, id, current, actor));
			return { id: `goal-${id}`, saved: true };
		} catch (err) {
			if (err instanceof AgendaError) return fail(404, { id: `goal-${id}`, field: 'form', error: err.message });
			throw err;
		}
	}
};
