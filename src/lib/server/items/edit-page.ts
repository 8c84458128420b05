import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { ValidationError } from '../../domain/errors.ts';
import { messageText } from '../../i18n/localize.ts';
import { DETAIL_FIELDS } from '../../domain/items.ts';
import { LAYER_LABELS, STATUSES, type Layer } from '../../domain/layers.ts';
import { listLevels, municipalityBounds } from '../areas.ts';
import { actionFailure, isAnswerable, langOf } from '../http/errors.ts';
import { config } from '../config.ts';
import type { Sql } from '../db/types.ts';
import { type Conflict, type Saved, type WriteContext } from './edit.ts';
import { writeContext } from './edit-http.ts';
import { formValues } from './edit-form.ts';
import { taxonomy } from './taxonomy.ts';

/** What the staff item form needs besides the item: choices, detail fields and the map. */
export async function formContext(db: Sql, layer: Layer, lang: 'nl' | 'en') {
	const tax = taxonomy();
	const [levels, bounds] = await Promise.all([listLevels(db), municipalityBounds(db)]);
	return {
		layer,
		layerLabel: LAYER_LABELS[layer][lang],
		themes: tax.themes.map((t) => ({ id: t.id, label: t[lang] })),
		categories: tax.categories.map((c) => ({
			id: c.id,
			label: c[lang],
			subcategories: c.subcategories
		})),
		details: DETAIL_FIELDS[layer].map((f) => ({ key: f.key, type: f.type, values: f.values })),
		statuses: STATUSES[layer].map((s) => ({ id: s.id, label: s[lang] })),
		levels: levels.map((l) => l.name),
		bounds:
			bounds ??
			([
				[3.3, 50.7],
				[7.3, 53.6]
			] as [[number, number], [number, number]]),
		basemap: config().basemap
	};
}

export interface ActionResult {
	errors?: Record<string, string>;
	values?: Record<string, string>;
	conflict?: { stored: Conflict['stored']; storedValues: Record<string, string>; message: string };
	/** Which form answered, when a page has several. */
	form?: string;
	done?: string;
}

/**
 * Runs a form action's write: Dutch field errors (400), a conflict with the stored version
 * (409) and the typed values back in the form, so nothing typed is lost.
 */
export async function runAction(
	event: Pick<RequestEvent, 'locals' | 'getClientAddress'>,
	form: string,
	values: Record<string, string>,
	write: (ctx: WriteContext) => Promise<Saved | Conflict | unknown>
): Promise<ActionResult | ActionFailure<ActionResult>> {
	try {
		const ctx = writeContext(event);
		const result = (await write(ctx)) as Saved | Conflict | undefined;
		if (result && typeof result === 'object' && 'kind' in result && result.kind === 'conflict') {
			return fail(409, {
				form,
				values,
				conflict: {
					stored: result.stored,
					storedValues: formValues(result.stored),
					message: messageText(langOf(event), result.message.code, result.message.params)
				}
			});
		}
		return { form, done: form };
	} catch (err) {
		if (!isAnswerable(err)) throw err;
		const lang = langOf(event);
		const errors = err instanceof ValidationError ? err.fieldsIn(lang) : { _: err.messageIn(lang) };
		return actionFailure(err, lang, { form, values, errors });
	}
}
