import type { RequestHandler } from './$types';
import { LAYER_LABELS, LAYERS, PARTICIPATION_LEVELS, STATUSES } from '$lib/domain/layers.ts';
import { MIN_SENSITIVE_COUNT, publicTheme } from '$lib/domain/themes.ts';
import { json } from '$lib/server/http/json.ts';
import { taxonomy } from '$lib/server/items/taxonomy.ts';

/** The theme taxonomy, melding categories and the layers with their statuses. */
export const GET: RequestHandler = async () => {
	const tax = taxonomy();
	return json({
		themes: tax.themes.map(publicTheme),
		categories: tax.categories,
		layers: LAYERS.map((id) => ({ id, ...LAYER_LABELS[id], statuses: STATUSES[id] })),
		participationLevels: PARTICIPATION_LEVELS,
		minSensitiveCount: MIN_SENSITIVE_COUNT
	});
};
