import { z } from 'zod';
import type { Position } from 'geojson';
import { ItemRuleError, validateItem, type ItemGeometry, type ItemInput } from './items.ts';
import { LAYERS, initialStatus } from './layers.ts';
import type { Taxonomy } from './themes.ts';
import { msg, ValidationError, type FieldMessages } from './errors.ts';
import { hasMessage, type MessageParams } from '../i18n/localize.ts';

/**
 * What staff may write about an item, checked field by field with messages (codes in
 * errors.*.json) that a form shows beside the field. Structure is checked here with zod; the item rules themselves
 * (statuses, themes, categories, details) come from validateItem, so there is one rule set for
 * imports and editing alike.
 */
export { ValidationError, type FieldErrors } from './errors.ts';

const finite = z
	.number({ error: 'errors.itemEdit.coordinate' })
	.finite({ error: 'errors.itemEdit.coordinateFinite' });
const position = z.tuple([finite, finite], { error: 'errors.itemEdit.position' }).rest(z.number());

const distinct = (ps: Position[]) => new Set(ps.map((p) => `${p[0]},${p[1]}`)).size;
const line = z.array(position).refine((ps) => distinct(ps) >= 2, {
	error: 'errors.itemEdit.line'
});
const ring = z
	.array(position)
	.refine((ps) => distinct(ps) >= 3, { error: 'errors.itemEdit.ringPoints' })
	.refine((ps) => ps.length >= 4 && ps[0][0] === ps.at(-1)![0] && ps[0][1] === ps.at(-1)![1], {
		error: 'errors.itemEdit.ringClosed'
	});
const polygon = z.array(ring).min(1, { error: 'errors.itemEdit.polygon' });

export const geometrySchema = z.discriminatedUnion(
	'type',
	[
		z.object({ type: z.literal('Point'), coordinates: position }),
		z.object({ type: z.literal('LineString'), coordinates: line }),
		z.object({ type: z.literal('Polygon'), coordinates: polygon }),
		z.object({
			type: z.literal('MultiLineString'),
			coordinates: z.array(line).min(1, { error: 'errors.itemEdit.multiLine' })
		}),
		z.object({
			type: z.literal('MultiPolygon'),
			coordinates: z.array(polygon).min(1, { error: 'errors.itemEdit.multiPolygon' })
		})
	],
	{ error: 'errors.itemEdit.geometry' }
);

const optText = z
	.string({ error: 'errors.itemEdit.text' })
	.trim()
	.max(10_000, { error: 'errors.itemEdit.textLong' })
	.optional();
const when = z
	.union([z.string(), z.null()])
	.optional()
	.transform((v, ctx) => {
		if (v === undefined) return undefined;
		if (v === null || v.trim() === '') return null;
		const d = new Date(v);
		if (Number.isNaN(d.getTime())) {
			ctx.addIssue({ code: 'custom', message: 'errors.itemEdit.dateTime', params: { text: v } });
			return z.NEVER;
		}
		return d;
	});

/** The editable fields. A patch gives any subset; the layer and status are not among them. */
const fields = {
	title: z
		.string({ error: 'errors.itemEdit.title' })
		.trim()
		.min(1, { error: 'errors.itemEdit.title' })
		.max(200, { error: 'errors.itemEdit.titleLong' }),
	description: optText,
	theme: z
		.string({ error: 'errors.itemEdit.theme' })
		.trim()
		.min(1, { error: 'errors.itemEdit.theme' }),
	themes: z.array(z.string(), { error: 'errors.itemEdit.themes' }).optional(),
	category: z.union([z.string().trim(), z.null()]).optional(),
	subcategory: z.union([z.string().trim(), z.null()]).optional(),
	geometry: geometrySchema,
	details: z.record(z.string(), z.unknown(), { error: 'errors.itemEdit.details' }).optional(),
	startsAt: when,
	endsAt: when
};

export const patchSchema = z.object(fields).partial().strict();
export const createSchema = z
	.object({
		...fields,
		layer: z.enum(LAYERS, { error: 'errors.itemEdit.layer' }),
		status: z.string().trim().min(1).optional(),
		// A melding's theme follows from its category; only then may theme be absent.
		theme: fields.theme.optional()
	})
	.strict();

export type ItemPatch = z.infer<typeof patchSchema>;
export type ItemCreate = z.infer<typeof createSchema>;

/** Values the texts of some zod messages name; the rest name nothing or carry their own params. */
const STATIC_PARAMS: Record<string, MessageParams> = {
	'errors.itemEdit.layer': { allowed: LAYERS.join(', ') },
	'errors.itemEdit.titleLong': { max: 200 }
};

/**
 * The schemas above give a catalogue code as their zod message; a check zod words itself
 * (a wrong type where no message was given) becomes the generic "invalid value".
 */
function issuesToFields(error: z.ZodError): FieldMessages {
	const out: FieldMessages = {};
	for (const issue of error.issues) {
		const [head, ...rest] = issue.path;
		const key =
			head === undefined
				? '_'
				: head === 'details' && rest.length
					? `details.${String(rest[0])}`
					: String(head);
		if (issue.code === 'unrecognized_keys') {
			out._ ??= msg('errors.itemEdit.unknownField', { keys: issue.keys.join(', ') });
			continue;
		}
		const code = hasMessage(issue.message) ? issue.message : 'errors.itemEdit.invalid';
		const params = issue.code === 'custom' ? (issue.params as MessageParams) : undefined;
		out[key] ??= msg(code, params ?? STATIC_PARAMS[code]);
	}
	return out;
}

export function parseCreate(raw: unknown): ItemCreate {
	const r = createSchema.safeParse(raw);
	if (!r.success) throw new ValidationError(issuesToFields(r.error));
	return r.data;
}

export function parsePatch(raw: unknown): ItemPatch {
	const r = patchSchema.safeParse(raw);
	if (!r.success) throw new ValidationError(issuesToFields(r.error));
	return r.data;
}

/**
 * Runs the item rules on a full item and returns it normalised, or throws ValidationError
 * with the message at its field.
 */
export function checkItem(input: ItemInput, tax: Taxonomy): ItemInput {
	try {
		return validateItem(input, tax);
	} catch (err) {
		if (err instanceof ItemRuleError)
			throw new ValidationError({ [err.field ?? '_']: { code: err.code!, params: err.params } });
		throw err;
	}
}

/** A new item from checked create input; a melding without theme gets it from its category. */
export function inputFromCreate(c: ItemCreate): ItemInput {
	if (!c.theme && !(c.layer === 'meldingen' && c.category))
		throw new ValidationError({ theme: msg('errors.itemEdit.theme') });
	return {
		layer: c.layer,
		title: c.title,
		description: c.description ?? '',
		theme: c.theme ?? '',
		themes: c.themes ?? [],
		status: c.status ?? initialStatus(c.layer),
		geometry: c.geometry as ItemGeometry,
		category: c.category ?? null,
		subcategory: c.subcategory ?? null,
		startsAt: c.startsAt ?? null,
		endsAt: c.endsAt ?? null,
		details: c.details ?? {}
	};
}

/** The stored item with a patch laid over it. */
export function applyPatch(stored: ItemInput, patch: ItemPatch): ItemInput {
	const next: ItemInput = { ...stored };
	for (const [k, v] of Object.entries(patch))
		if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
	return next;
}
