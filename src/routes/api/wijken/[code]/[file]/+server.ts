import { csvDialect } from '$lib/domain/csv';
import { getAgenda } from '$lib/server/agenda/store';
import { agendaCsv, agendaForExport } from '$lib/server/agenda/transfer';
import { AppError, msg, NotFoundError } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json, storeFor } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** GET /api/wijken/<code>/agenda(.json|.csv): the wijkagenda in the import format; `sep=;` gives the CSV for Excel-NL. */
export const GET: RequestHandler = endpoint(async (event) => {
	const { code, file } = event.params;
	if (!['agenda', 'agenda.json', 'agenda.csv'].includes(file))
		throw new NotFoundError(msg('errors.agenda.file', { file }));
	const dialect = csvDialect(event.url.searchParams.get('sep'));
	if (!dialect) throw new AppError(msg('errors.param.sep'), { field: 'sep' });
	const agenda = await getAgenda(await storeFor(event), code);
	if (!agenda) throw new NotFoundError(msg('errors.agenda.noneFor', { code }));
	const name = `wijkagenda-${code}-${agenda.periodStart}${dialect.sep === ';' ? '-excel' : ''}`;
	if (file === 'agenda.csv') {
		return new Response(agendaCsv(agendaForExport(agenda), dialect), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${name}.csv"`,
				'cache-control': 'no-cache'
			}
		});
	}
	const res = json(agendaForExport(agenda));
	if (file === 'agenda.json')
		res.headers.set('content-disposition', `attachment; filename="${name}.json"`);
	return res;
});
