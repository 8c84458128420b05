import { readFileSync } from 'node:fs';
import path from 'node:path';
import defaults from '../../domain/themes.default.json' with { type: 'json' };
import { parseTaxonomy, type Taxonomy } from '../../domain/themes.ts';
import type { Sql } from '../db/types.ts';
import { config } from '../config.ts';

let cached: { file: string | null; taxonomy: Taxonomy } | null = null;

/**
 * The theme taxonomy in force: the file named by WIJKKAART_THEMES_FILE, else the default.
 * Read once per process (re-read when the variable changes, which tests do).
 */
export function taxonomy(): Taxonomy {
	const named = config().themesFile;
	const file = named ? path.resolve(named) : null;
	if (cached && cached.file === file) return cached.taxonomy;
	let raw: unknown = defaults;
	if (file) {
		try {
			raw = JSON.parse(readFileSync(file, 'utf8'));
		} catch (err) {
			throw new Error(`WIJKKAART_THEMES_FILE ${file} is niet te lezen: ${(err as Error).message}`);
		}
	}
	cached = { file, taxonomy: parseTaxonomy(raw, file ?? 'themes.default.json') };
	return cached.taxonomy;
}

/**
 * Brings the theme and melding_category tables in line with the configuration, so foreign
 * keys hold and SQL can see SLA and sensitivity. Themes that left the configuration stay
 * while items still use them. Call inside the write transaction.
 */
export async function syncTaxonomy(tx: Sql, tax: Taxonomy = taxonomy()): Promise<void> {
	await tx.query(
		`INSERT INTO theme (id, label_nl, label_en, color, icon, sort)
		 SELECT t.id, t.nl, t.en, t.color, t.icon, t.ord::int
		 FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id text, nl text, en text, color text, icon text))
		      WITH ORDINALITY AS t(id, nl, en, color, icon, ord)
		 ON CONFLICT (id) DO UPDATE SET label_nl = EXCLUDED.label_nl, label_en = EXCLUDED.label_en,
		   color = EXCLUDED.color, icon = EXCLUDED.icon, sort = EXCLUDED.sort`,
		[JSON.stringify(tax.themes)]
	);
	await tx.query(
		`INSERT INTO melding_category (id, label_nl, label_en, theme, sla_days, sensitive)
		 SELECT c.id, c.nl, c.en, c.theme, c."slaDays", c.sensitive
		 FROM jsonb_to_recordset($1::jsonb) AS c(id text, nl text, en text, theme text, "slaDays" int, sensitive boolean)
		 ON CONFLICT (id) DO UPDATE SET label_nl = EXCLUDED.label_nl, label_en = EXCLUDED.label_en,
		   theme = EXCLUDED.theme, sla_days = EXCLUDED.sla_days, sensitive = EXCLUDED.sensitive`,
		[JSON.stringify(tax.categories)]
	);
	// A category that became sensitive must disappear from public lists at once.
	await tx.query(
		`UPDATE item i SET sensitive = c.sensitive FROM melding_category c
		 WHERE i.category = c.id AND i.sensitive <> c.sensitive`
	);
}
