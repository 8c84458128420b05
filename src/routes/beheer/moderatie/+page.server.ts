import { msg } from '$lib/domain/errors';
import { ValidationError } from '$lib/domain/item-edit';
import { LAYER_LABELS, STATUSES, isLayer, statusDef } from '$lib/domain/layers';
import { changeStatus } from '$lib/server/items/edit';
import { formStrings } from '$lib/server/items/edit-form';
import { runAction } from '$lib/server/items/edit-page';
import { versionOf } from '$lib/server/items/edit-http';
import { taxonomy } from '$lib/server/items/taxonomy';
import { approve, merge, openMeldingen, queue, reject } from '$lib/server/moderation';
import { decideItemWrite } from '$lib/server/auth/policy';
import { photoQueue, publishPhoto, removePhoto } from '$lib/server/photo-moderation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const q = (k: string) => url.searchParams.get(k)?.trim() || null;
	const filters = { wijk: q('wijk'), theme: q('thema'), layer: q('laag') };
	const [entries, open, wijken, photos] = await Promise.all([
		queue(locals.db, filters),
		openMeldingen(locals.db, { wijk: filters.wijk, theme: filters.theme }),
		locals.db.query<{ code: string; name: string }>(
			`SELECT code, name FROM area WHERE level = (SELECT name FROM area_level ORDER BY depth LIMIT 1) ORDER BY name`
		),
		photoQueue(locals.db, filters.wijk)
	]);
	const lang = locals.lang;
	const statuses = STATUSES.meldingen.map((s) => ({ id: s.id, label: s[lang] }));
	return {
		// Answering with a status is an editor's write: the form is offered only to whom may.
		mayRespond:
			!!locals.user && decideItemWrite(locals.user, 'status', null, null).outcome === 'allow',
		open: open.map((m) => ({
			id: m.id,
			title: m.title,
			status: m.status,
			statusLabel: statusDef('meldingen', m.status)?.[lang] ?? m.status,
			version: m.version,
			areas: m.areas,
			createdAt: m.createdAt,
			statuses
		})),
		filters,
		wijken,
		photos,
		themes: taxonomy().themes.map((t) => ({ id: t.id, label: t[lang] })),
		entries: entries.map((e) => ({
			id: e.id,
			layer: e.layer,
			layerLabel: isLayer(e.layer) ? LAYER_LABELS[e.layer][lang] : e.layer,
			title: e.title,
			description: e.description,
			theme: e.theme,
			status: e.status,
			version: e.version,
			areas: e.areas,
			createdAt: e.createdAt,
			trackingNumber: e.trackingNumber,
			statuses: STATUSES[e.layer].map((s) => ({ id: s.id, label: s[lang] }))
		}))
	};
};

/** Each decision names its submission; the answer is shown beside that entry. */
async function decideOn(
	event: Parameters<Actions[string]>[0],
	name: string,
	run: (
		id: number,
		v: Record<string, string>,
		ctx: Parameters<Parameters<typeof runAction>[3]>[0]
	) => Promise<unknown>
) {
	const v = formStrings(await event.request.formData());
	const id = Number(v.id);
	return runAction(event, `${name}:${v.id}`, v, (ctx) => {
		if (!Number.isSafeInteger(id) || id < 1)
			throw new ValidationError({ _: msg('errors.moderation.unknown') });
		return run(id, v, ctx);
	});
}

export const actions: Actions = {
	approve: (event) =>
		decideOn(event, 'approve', (id, _v, ctx) => approve(event.locals.db, id, ctx)),
	reject: (event) =>
		decideOn(event, 'reject', (id, v, ctx) => reject(event.locals.db, id, v.reason ?? '', ctx)),
	merge: (event) =>
		decideOn(event, 'merge', (id, v, ctx) => merge(event.locals.db, id, Number(v.target), ctx)),
	publishPhoto: (event) =>
		decideOn(event, 'publishPhoto', (id, _v, ctx) => publishPhoto(event.locals.db, id, ctx)),
	removePhoto: (event) =>
		decideOn(event, 'removePhoto', (id, _v, ctx) => removePhoto(event.locals.db, id, ctx)),
	/** Staff answer a melding from the queue: a status change with its public text. */
	respond: (event) =>
		decideOn(event, 'respond', (id, v, ctx) =>
			changeStatus(
				event.locals.db,
				id,
				versionOf(v.version, true)!,
				v.status ?? '',
				v.publicText ?? '',
				ctx
			)
		)
};
