import { z } from 'zod';
import type { Position } from 'geojson';
import { ItemRuleError, validateItem, type ItemGeometry, type ItemInput } from './items.ts';
import { LAYERS, initialStatus } from './layers.ts';
import type { Taxonomy } from './themes.ts';
import { ValidationError, type FieldErrors } from './errors.ts';

/**
 * What staff may write about an item, checked field by field with Dutch messages that a form
 * shows beside the field. Structure is checked here with zod; the item rules themselves
 * (statuses, themes, categories, details) come from validateItem, so there is one rule set for
 * imports and editing alike.
 */
export { ValidationError, type FieldErrors } from './errors.ts';

const finite = z
	.number({ error: 'coördinaat is geen getal' })
	.finite({ error: 'coördinaat is geen eindig getal' });
const position = z
	.tuple([finite, finite], { error: 'een coördinaat is een paar [lengte, breedte]' })
	.rest(z.number());

const distinct = (ps: Position[]) => new Set(ps.map((p) => `${p[0]},${p[1]}`)).size;
const line = z.array(position).refine((ps) => distinct(ps) >= 2, {
	error: 'Een lijn heeft minstens twee verschillende punten nodig.'
});
const ring = z
	.array(position)
	.refine((ps) => distinct(ps) >= 3, { error: 'Een vlak heeft minstens drie hoekpunten nodig.' })
	.refine((ps) => ps.length >= 4 && ps[0][0] === ps.at(-1)![0] && ps[0][1] === ps.at(-1)![1], {
		error: 'De rand van het vlak is niet gesloten.'
	});
const polygon = z.array(ring).min(1, { error: 'Een vlak heeft een rand nodig.' });

export const geometrySchema = z.discriminatedUnion(
	'type',
	[
		z.object({ type: z.literal('Point'), coordinates: position }),
		z.object({ type: z.literal('LineString'), coordinates: line }),
		z.object({ type: z.literal('Polygon'), coordinates: polygon }),
		z.object({
			type: z.literal('MultiLineString'),
			coordinates: z.array(line).min(1, { error: 'Lege lijnverzameling.' })
		}),
		z.object({
			type: z.literal('MultiPolygon'),
			coordinates: z.array(polygon).min(1, { error: 'Lege vlakverzameling.' })
		})
	],
	{ error: 'Teken een punt, lijn of vlak op de kaart, of vul de coördinaten in.' }
);

const optText = z
	.string({ error: 'moet tekst zijn' })
	.trim()
	.max(10_000, { error: 'Deze tekst is te lang.' })
	.optional();
const when = z
	.union([z.string(), z.null()])
	.optional()
	.transform((v, ctx) => {
		if (v === undefined) return undefined;
		if (v === null || v.trim() === '') return null;
		const d = new Date(v);
		if (Number.isNaN(d.getTime())) {
			ctx.addIssue({ code: 'custom', error: `"${v}" is geen datum en tijd.` });
			return z.NEVER;
		}
		return d;
	});

/** The editable fields. A patch gives any subset; the layer and status are not among them. */
const fields = {
	title: z
		.string({ error: 'Vul een titel in.' })
		.trim()
		.min(1, { error: 'Vul een titel in.' })
		.max(200, { error: 'De titel is langer dan 200 tekens.' }),
	description: optText,
	theme: z.string({ error: 'Kies een thema.' }).trim().min(1, { error: 'Kies een thema.' }),
	themes: z.array(z.string(), { error: 'Extra thema’s zijn een lijst.' }).optional(),
	category: z.union([z.string().trim(), z.null()]).optional(),
	subcategory: z.union([z.string().trim(), z.null()]).optional(),
	geometry: geometrySchema,
	details: z.record(z.string(), z.unknown(), { error: 'Details zijn een object.' }).optional(),
	startsAt: when,
	endsAt: when
};

export const patchSchema = z.object(fields).partial().strict();
export const createSchema = z
	.object({
		...fields,
		layer: z.enum(LAYERS, { error: `Kies een laag: ${LAYERS.join(', ')}.` }),
		status: z.string().trim().min(1).optional(),
		// A melding's theme follows from its category; only then may theme be absent.
		theme: fields.theme.optional()
	})
	.strict();

export type ItemPatch = z.infer<typeof patchSchema>;
export type ItemCreate = z.infer<typeof createSchema>;

function issuesToFields(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const [head, ...rest] = issue.path;
		const key =
			head === undefined
				? '_'
				: head === 'details' && rest.length
					? `details.${String(rest[0])}`
					: String(head);
		if (issue.code === 'unrecognized_keys') {
			out._ ??= `Onbekend veld: ${issue.keys.join(', ')}.`;
			continue;
		}
		out[key] ??= issue.message;
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
		throw new ValidationError({ theme: 'Kies een thema.' });
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
