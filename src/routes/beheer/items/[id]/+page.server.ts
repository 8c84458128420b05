import { error } from '@sveltejs/kit';
import { changeStatus, restore, softDelete, updateItem } from '$lib/server/items/edit';
import { formStrings, formValues, itemFromForm } from '$lib/server/items/edit-form';
import { formContext, runAction } from '$lib/server/items/edit-page';
import { versionOf, writeContext } from '$lib/server/items/edit-http';
import { readContact } from '$lib/server/items/contact';
import { getStaffItem } from '$lib/server/items/staff-read';
import { publicTimeline } from '$lib/server/items/queries';
import type { Actions, PageServerLoad } from './$types';

function idOf(raw: string): number {
	if (!/^\d{1,15}$/.test(raw)) error(400, `"${raw}" is geen nummer van een item.`);
	return Number(raw);
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const item = await getStaffItem(locals.db, idOf(params.id));
	if (!item) error(404, `Item ${params.id} bestaat niet.`);
	const timeline = await publicTimeline(locals.db, item.id);
	// The map opens on the item, with some of its surroundings.
	const [box] = await locals.db.query<{ w: number; s: number; e: number; n: number }>(
		`SELECT ST_XMin(b)::float8 w, ST_YMin(b)::float8 s, ST_XMax(b)::float8 e, ST_YMax(b)::float8 n
		 FROM (SELECT ST_Expand(ST_Envelope(geom), 0.004) b FROM item WHERE id = $1) x`,
		[item.id]
	);
	const [contact] = await locals.db.query<{ n: number }>(
		`SELECT count(*)::int AS n FROM melding_contact WHERE item_id = $1 AND (email IS NOT NULL OR phone IS NOT NULL)`,
		[item.id]
	);
	return {
		item,
		hasContact: contact.n > 0,
		values: formValues(item),
		timeline: timeline.map((t) => ({ ...t, at: t.at.toISOString() })),
		...(await formContext(locals.db, item.layer, locals.lang)),
		bounds: [
			[box.w, box.s],
			[box.e, box.n]
		] as [[number, number], [number, number]]
	};
};

export const actions: Actions = {
	save: async (event) => {
		const id = idOf(event.params.id);
		const stored = await getStaffItem(event.locals.db, id);
		if (!stored) error(404, `Item ${id} bestaat niet.`);
		const data = await event.request.formData();
		const values = formStrings(data);
		return runAction(event, 'save', values, (ctx) =>
			updateItem(
				event.locals.db,
				id,
				versionOf(values.version, true)!,
				itemFromForm(data, stored.layer).raw,
				ctx
			)
		);
	},
	status: async (event) => {
		const id = idOf(event.params.id);
		const v = formStrings(await event.request.formData());
		return runAction(event, 'status', v, (ctx) =>
			changeStatus(
				event.locals.db,
				id,
				versionOf(v.version, true)!,
				v.status ?? '',
				v.publicText ?? '',
				ctx,
				{ reason: v.reason || null }
			)
		);
	},
	delete: async (event) => {
		const id = idOf(event.params.id);
		const v = formStrings(await event.request.formData());
		return runAction(event, 'delete', v, (ctx) =>
			softDelete(event.locals.db, id, versionOf(v.version, false), ctx)
		);
	},
	// Reading the reporter's address is a deliberate, audited step, never part of the page load.
	contact: async (event) => {
		const id = idOf(event.params.id);
		const ctx = writeContext(event);
		const contact = await readContact(event.locals.db, id, ctx);
		return { form: 'contact', contact: contact ?? { email: null, phone: null, name: null } };
	},
	restore: async (event) => {
		const id = idOf(event.params.id);
		const v = formStrings(await event.request.formData());
		return runAction(event, 'restore', v, (ctx) =>
			restore(event.locals.db, id, versionOf(v.version, false), ctx)
		);
	}
};
