import { localize, messageText, type Lang, type Message } from '../../i18n/localize.ts';
import { msg } from '../../domain/errors.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MultiPolygon, Position } from 'geojson';
import { FORMAT_LABEL, type AreaPlan } from './area-plan.ts';
import type { AreaImportSummary } from './areas.ts';
import { ImportError } from './areas.ts';

/**
 * The staff page's side of the import: the upload limit, the uploaded file kept between the
 * preview and "Importeren" (under a random token, for the member of staff who uploaded it),
 * and the preview a page can show. The import itself is area-plan.ts's, as for the CLI.
 */

const DIR = () => path.join(os.tmpdir(), 'wijkkaart-import');
const TOKEN = /^[0-9a-f]{32}$/;
const KEEP_MS = 60 * 60 * 1000;

export function saveUpload(bytes: Uint8Array, name: string, userId: number | string): string {
	const dir = DIR();
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	// Uploads nobody imported within the hour are removed.
	for (const f of readdirSync(dir)) {
		const p = path.join(dir, f);
		if (Date.now() - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { force: true });
	}
	const token = randomBytes(16).toString('hex');
	writeFileSync(
		path.join(dir, `${token}.json`),
		JSON.stringify({ name: path.basename(name), user: String(userId) }),
		{ mode: 0o600 }
	);
	writeFileSync(path.join(dir, token), bytes, { mode: 0o600 });
	return token;
}

export function loadUpload(
	token: string,
	userId: number | string
): { bytes: Uint8Array; name: string } {
	const gone = new ImportError(msg('errors.import.uploadGone'));
	if (!TOKEN.test(token)) throw gone;
	try {
		const meta = JSON.parse(readFileSync(path.join(DIR(), `${token}.json`), 'utf8')) as {
			name: string;
			user: string;
		};
		if (meta.user !== String(userId)) throw gone;
		return { bytes: readFileSync(path.join(DIR(), token)), name: meta.name };
	} catch {
		throw gone;
	}
}

export function dropUpload(token: string): void {
	if (!TOKEN.test(token)) return;
	rmSync(path.join(DIR(), token), { force: true });
	rmSync(path.join(DIR(), `${token}.json`), { force: true });
}

export interface PreviewLevel {
	level: string;
	layer: string;
	parentLevel: string | null;
	crs: string;
	fields: AreaImportSummary['fields'];
	keys: string[];
	imported: number;
	replaced: number;
	parents: AreaImportSummary['parents'];
	/** Report lines in the language the page was asked in. */
	repaired: string[];
	rejected: string[];
	areas: { code: string; name: string; parent: string | null; population: number | null }[];
}

export interface Preview {
	file: string;
	format: string;
	layers: { name: string; count: number }[];
	gemeente: AreaPlan['gemeente'];
	notes: string[];
	levels: PreviewLevel[];
	/** The finest level's outlines, as SVG paths in a 300-unit box. */
	map: { viewBox: string; paths: { code: string; name: string; d: string }[] };
}

/** At most this many areas are listed per level; the counts are always complete. */
const LISTED = 500;

export function preview(
	file: string,
	plan: AreaPlan,
	summaries: AreaImportSummary[],
	lang: Lang
): Preview {
	const text = (m: Message) => messageText(lang, m.code, m.params);
	return {
		file,
		format: localize(FORMAT_LABEL[plan.format], lang),
		layers: plan.layers,
		gemeente: plan.gemeente,
		notes: plan.notes.map(text),
		levels: plan.levels.map((l, i) => {
			const s = summaries[i];
			return {
				level: s.level,
				layer: l.layer,
				parentLevel: s.parentLevel,
				crs: s.crs === 'rd' ? 'RD New (EPSG:28992)' : 'WGS84 (EPSG:4326)',
				fields: s.fields,
				keys: l.keys,
				imported: s.imported,
				replaced: s.replaced,
				parents: s.parents,
				repaired: s.repaired.map(text),
				rejected: s.rejected.map(text),
				areas: l.prepared.areas
					.slice(0, LISTED)
					.map((a) => ({ code: a.code, name: a.name, parent: a.parent, population: a.population }))
			};
		}),
		map: outline(plan.levels.at(-1)!.prepared.areas)
	};
}

/** A small map without tiles or script: each area's rings, projected and rounded to the unit. */
function outline(areas: { code: string; name: string; geometry: MultiPolygon }[]): Preview['map'] {
	let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const a of areas) {
		for (const poly of a.geometry.coordinates) {
			for (const [x, y] of poly[0]) {
				minX = Math.min(minX, x);
				maxX = Math.max(maxX, x);
				minY = Math.min(minY, y);
				maxY = Math.max(maxY, y);
			}
		}
	}
	const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
	const scale = 300 / Math.max((maxX - minX) * k, maxY - minY, 1e-9);
	const project = ([x, y]: Position) => [
		Math.round((x - minX) * k * scale),
		Math.round((maxY - y) * scale)
	];
	const paths = areas.map((a) => {
		const parts: string[] = [];
		for (const poly of a.geometry.coordinates) {
			for (const ring of poly) {
				const pts: number[][] = [];
				for (const p of ring.map(project))
					if (!pts.length || pts.at(-1)![0] !== p[0] || pts.at(-1)![1] !== p[1]) pts.push(p);
				if (pts.length >= 3) parts.push(`M${pts.map((p) => p.join(' ')).join('L')}Z`);
			}
		}
		return { code: a.code, name: a.name, d: parts.join('') };
	});
	return {
		viewBox: `0 0 ${Math.ceil((maxX - minX) * k * scale)} ${Math.ceil((maxY - minY) * scale)}`,
		paths
	};
}
