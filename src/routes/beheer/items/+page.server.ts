import { fail } from '@sveltejs/kit';
import { LAYER_LABELS, LAYERS, STATUSES } from '$lib/domain/layers';
import { changeStatus } from '$lib/server/items/edit';
import { actionFailure, isAnswerable } from '$lib/server/http/errors';
import { writeContext } from '$lib/server/items/edit-http';
import {
	OVERDUE_FILTER,
	PAGE_SIZE,
	parseQueueFilters,
	QUEUE_AGES,
	QUEUE_SORTS,
	queuePage
} from '$lib/server/items/queue';
import { idsOf } from '$lib/server/items/queue-scope';
import { taxonomy } from '$lib/server/items/taxonomy';
import { messageText } from '$lib/i18n/localize';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const lang = locals.lang;
	const filters = parseQueueFilters(url.searchParams, locals.user);
	const [page, wijken, departments] = await Promise.all([
		queuePage(locals.db, filters, locals.user),
		locals.db.query<{ code: string; name: string }>(
			`SELECT code, name FROM area WHERE level = 'wijk' ORDER BY name`
		),
		locals.db.query<{ d: string }>(
			`SELECT DISTINCT trim(details ->> 'department') AS d FROM item WHERE coalesce(trim(details ->> 'department'), '') <> '' ORDER BY 1 LIMIT 200`
		)
	]);
	const tax = taxonomy();
	return {
		filters,
		page,
		pageSize: PAGE_SIZE,
		me: locals.user
			? { wijken: locals.user.wijken, role: locals.user.role, department: locals.user.department }
			: null,
		layers: LAYERS.map((l) => ({ id: l, label: LAYER_LABELS[l][lang] })),
		// Labels for every layer's statuses: the same id (geannuleerd) can belong to two layers.
		statuses: LAYERS.flatMap((l) =>
			STATUSES[l].map((s) => ({ layer: l, id: s.id, label: s[lang], open: s.open }))
		),
		overdueFilter: OVERDUE_FILTER,
		themes: tax.themes.map((t) => ({ id: t.id, label: t[lang] })),
		categories: tax.categories.map((c) => ({ id: c.id, label: c[lang] })),
		wijken: wijken.map((w) => ({ id: w.code, label: w.name })),
		departments: departments.map((d) => ({ id: d.d, label: d.d })),
		ages: QUEUE_AGES,
		sorts: QUEUE_SORTS
	};
};

export const actions: Actions = {
	/**
	 * One answer for several items (duplicates of one problem): the same status and public text
	 * on each, each its own audited change with its own version check. What could not be saved
	 * is listed with its reason; the rest is saved.
	 */
	bulk: async (event) => {
		const form = await event.request.formData();
		const ids = idsOf(form);
		const status = String(form.get('status') ?? '');
		const text = String(form.get('publicText') ?? '');
		const values = { status, publicText: text };
		if (ids.length === 0)
			return fail(400, {
				form: 'bulk',
				values,
				errors: {
					_: event.locals.lang === 'en' ? 'Choose at least one item.' : 'Kies ten minste één item.'
				}
			});
		let ctx;
		try {
			ctx = writeContext(event);
		} catch (err) {
			if (!isAnswerable(err)) throw err;
			return actionFailure(err, event.locals.lang, {
				form: 'bulk',
				values,
				errors: { _: err.messageIn(event.locals.lang) }
			});
		}
		const saved: number[] = [];
		const refused: { id: number; message: string }[] = [];
		for (const id of ids) {
			const version = Number(form.get(`v-${id}`));
			try {
				const r = await changeStatus(event.locals.db, id, version, status, text, ctx);
				if (r.kind === 'ok') saved.push(id);
				else
					refused.push({
						id,
						message: messageText(event.locals.lang, r.message.code, r.message.params)
					});
			} catch (err) {
				if (!isAnswerable(err)) throw err;
				refused.push({ id, message: err.messageIn(event.locals.lang) });
			}
		}
		// The same field message for all: it is one answer, so one correction fixes it.
		if (saved.length === 0)
			return fail(400, { form: 'bulk', values, refused, errors: { _: refused[0]?.message ?? '' } });
		return { form: 'bulk', saved, refused };
	}
};
