/**
 * The four layers of the map and their statuses. Statuses are domain rules, not
 * configuration: migration 002 seeds the same list into `item_status`, and a test checks
 * that the two agree.
 */
export const LAYERS = ['initiatieven', 'projecten', 'meldingen', 'bijeenkomsten'] as const;
export type Layer = (typeof LAYERS)[number];

export interface StatusDef {
	id: string;
	nl: string;
	en: string;
	/** Open statuses still need work; only open meldingen can be overdue. */
	open: boolean;
}

export const LAYER_LABELS: Record<Layer, { nl: string; en: string }> = {
	initiatieven: { nl: 'Initiatieven', en: 'Initiatives' },
	projecten: { nl: 'Projecten', en: 'Projects' },
	meldingen: { nl: 'Meldingen', en: 'Reports' },
	bijeenkomsten: { nl: 'Bijeenkomsten', en: 'Meetings' }
};

export const STATUSES: Record<Layer, readonly StatusDef[]> = {
	initiatieven: [
		{ id: 'idee', nl: 'idee', en: 'idea', open: true },
		{ id: 'aangevraagd', nl: 'aangevraagd', en: 'applied for', open: true },
		{ id: 'toegekend', nl: 'toegekend', en: 'granted', open: true },
		{ id: 'in_uitvoering', nl: 'in uitvoering', en: 'in progress', open: true },
		{ id: 'afgerond', nl: 'afgerond', en: 'completed', open: false },
		{ id: 'afgewezen', nl: 'afgewezen', en: 'rejected', open: false }
	],
	// For projects the phase is the status.
	projecten: [
		{ id: 'verkenning', nl: 'verkenning', en: 'exploration', open: true },
		{ id: 'ontwerp', nl: 'ontwerp', en: 'design', open: true },
		{ id: 'besluitvorming', nl: 'besluitvorming', en: 'decision-making', open: true },
		{ id: 'uitvoering', nl: 'uitvoering', en: 'construction', open: true },
		{ id: 'opgeleverd', nl: 'opgeleverd', en: 'delivered', open: false }
	],
	meldingen: [
		{ id: 'gemeld', nl: 'gemeld', en: 'reported', open: true },
		{ id: 'in_behandeling', nl: 'in behandeling', en: 'in progress', open: true },
		{ id: 'ingepland', nl: 'ingepland', en: 'scheduled', open: true },
		{ id: 'afgehandeld', nl: 'afgehandeld', en: 'resolved', open: false },
		{ id: 'heropend', nl: 'heropend', en: 'reopened', open: true },
		{ id: 'geannuleerd', nl: 'geannuleerd', en: 'cancelled', open: false }
	],
	bijeenkomsten: [
		{ id: 'gepland', nl: 'gepland', en: 'planned', open: true },
		{ id: 'geweest', nl: 'geweest', en: 'held', open: false },
		{ id: 'geannuleerd', nl: 'geannuleerd', en: 'cancelled', open: false }
	]
};

/** Every status id of any layer, for validating a status filter without a layer. */
export const ALL_STATUSES: readonly string[] = [
	...new Set(LAYERS.flatMap((l) => STATUSES[l].map((s) => s.id)))
];

export function isLayer(value: string): value is Layer {
	return (LAYERS as readonly string[]).includes(value);
}

export function statusDef(layer: Layer, status: string): StatusDef | undefined {
	return STATUSES[layer].find((s) => s.id === status);
}

export function initialStatus(layer: Layer): string {
	return STATUSES[layer][0].id;
}

/** How much say residents get (participatieladder), shared by projects and meetings. */
export const PARTICIPATION_LEVELS = [
	'informeren',
	'raadplegen',
	'adviseren',
	'coproduceren',
	'meebeslissen'
] as const;
export type ParticipationLevel = (typeof PARTICIPATION_LEVELS)[number];

export const EVENT_TYPES = [
	'wijkraadpleging',
	'informatieavond',
	'inloop',
	'werksessie',
	'wijkschouw',
	'wijkoverleg',
	'buurtgesprek'
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const FUNDS = ['initiatievenfonds', 'wijkbudget'] as const;
export type Fund = (typeof FUNDS)[number];
