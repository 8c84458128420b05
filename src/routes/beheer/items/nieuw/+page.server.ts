import { redirect } from '@sveltejs/kit';
import { isLayer, LAYER_LABELS, LAYERS } from '$lib/domain/layers';
import { ValidationError } from '$lib/domain/item-edit';
import { createItem } from '$lib/server/items/edit';
import { formStrings, itemFromForm } from '$lib/server/items/edit-form';
import { formContext, runAction } from '$lib/server/items/edit-page';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const layer = url.searchParams.get('laag') ?? '';
	const choices = LAYERS.map((l) => ({ id: l, label: LAYER_LABELS[l][locals.lang] }));
	if (!isLayer(layer)) return { choices, form: null };
	return { choices, form: await formContext(locals.db, layer, locals.lang) };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const layer = String(data.get('layer') ?? '');
		if (!isLayer(layer)) {
			return runAction(event, 'create', {}, async () => {
				throw new ValidationError({ layer: 'Kies een laag.' });
			});
		}
		let id: number | null = null;
		const result = await runAction(event, 'create', formStrings(data), async (ctx) => {
			const saved = await createItem(
				event.locals.db,
				{ ...itemFromForm(data, layer).raw, layer },
				ctx
			);
			id = saved.item.id;
			return saved;
		});
		if (id !== null) redirect(303, `/beheer/items/${id}?aangemaakt=1`);
		return result;
	}
};
