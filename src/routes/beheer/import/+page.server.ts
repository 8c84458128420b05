import { msg } from '$lib/domain/errors';
import { fail } from '@sveltejs/kit';
import { planAreaImport, runAreaPlan, type AreaImportRequest } from '$lib/server/import/area-plan';
import { ImportError } from '$lib/server/import/areas';
import { actionFailure } from '$lib/server/http/errors';
import { rebuildTiles } from '$lib/server/import/cli';
import { readSpatialFile } from '$lib/server/import/formats/index';
import { dropUpload, loadUpload, preview, saveUpload } from '$lib/server/import/upload';
import { importMaxBytes, uploadTooLargeMessage } from '$lib/server/import/upload-limit';
import type { Actions, PageServerLoad } from './$types';

// Beheerders only: decided by the guard from policy.ts RULES.
export const load: PageServerLoad = async ({ locals }) => {
	const levels = await locals.db.query<{ name: string; depth: number; n: number }>(
		`SELECT l.name, l.depth, (SELECT count(*)::int FROM area a WHERE a.level = l.name) AS n FROM area_level l ORDER BY l.depth`
	);
	return { levels, maxMb: Math.round(importMaxBytes() / 1024 / 1024) };
};

/** The form's choices as the import path takes them; also echoed back so the form keeps them. */
function request(v: Record<string, string>): AreaImportRequest {
	if (v.mode === 'cbs') {
		if (!v.gemeente)
			throw new ImportError(msg('errors.import.formGemeente'), { field: 'gemeente' });
		return { kind: 'cbs', gemeente: v.gemeente, year: v.year || null };
	}
	if (!v.level) throw new ImportError(msg('errors.import.formLevel'), { field: 'level' });
	return {
		kind: 'areas',
		level: v.level,
		parentLevel: v.parent || null,
		layer: v.layer || null,
		fields: {
			code: v.code || undefined,
			name: v.name || undefined,
			population: v.population || undefined,
			parent: v.parentCode || undefined
		},
		strict: false,
		skipInvalid: v.skipInvalid === 'on'
	};
}

const FIELDS = [
	'mode',
	'gemeente',
	'year',
	'level',
	'parent',
	'layer',
	'code',
	'name',
	'population',
	'parentCode',
	'skipInvalid',
	'token'
] as const;

async function readForm(req: Request) {
	const form = await req.formData();
	const values = Object.fromEntries(
		FIELDS.map((k) => [k, String(form.get(k) ?? '').trim()])
	) as Record<(typeof FIELDS)[number], string>;
	const file = form.get('file');
	return { values, file: file instanceof File && file.size > 0 ? file : null };
}

/** Runs the shared import path on the uploaded file: a dry run (rolled back) or the real import. */
async function run(event: Parameters<Actions[string]>[0], dryRun: boolean) {
	const user = event.locals.user!;
	const { values, file } = await readForm(event.request);
	let token = values.token;
	try {
		if (file) {
			if (file.size > importMaxBytes())
				throw new ImportError(uploadTooLargeMessage(), { field: 'file' });
			token = saveUpload(new Uint8Array(await file.arrayBuffer()), file.name, user.id);
		}
		if (!token) throw new ImportError(msg('errors.import.formFile'), { field: 'file' });
		const upload = loadUpload(token, user.id);
		const spatial = await readSpatialFile(upload.bytes, upload.name);
		let plan;
		try {
			plan = await planAreaImport(
				spatial,
				request(values),
				`upload:${upload.name}`,
				'beheer-import'
			);
		} finally {
			spatial.close();
		}
		const summaries = await runAreaPlan(event.locals.db, plan, {
			dryRun,
			actor: { kind: 'user', user }
		});
		if (dryRun)
			return {
				values: { ...values, token },
				preview: preview(upload.name, plan, summaries, event.locals.lang)
			};
		dropUpload(token);
		const tiles = await rebuildTiles(event.locals.db, event.locals.lang);
		return {
			values: { ...values, token: '' },
			done: { preview: preview(upload.name, plan, summaries, event.locals.lang), tiles }
		};
	} catch (err) {
		if (!(err instanceof ImportError)) throw err;
		return actionFailure(err, event.locals.lang, {
			values: { ...values, token },
			error: err.messageIn(event.locals.lang)
		});
	}
}

export const actions: Actions = {
	preview: (event) => run(event, true),
	import: (event) => run(event, false)
};
