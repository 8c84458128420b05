import { csvDialect } from '$lib/domain/csv';
import { getAgenda } from '$lib/server/agenda/store';
import { agendaCsv, agendaForExport } from '$lib/server/agenda/transfer';
import { json, jsonError, storeFor } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

/** GET /api/wijken/<code>/agenda(.json|.csv): the wijkagenda in the import format; `sep=;` gives the CSV for Excel-NL. */
export const GET: RequestHandler = async (event) => {
	const { code, file } = event.params;
	if (!['agenda', 'agenda.json', 'agenda.csv'].includes(file))
		return jsonError(404, `Onbekend bestand "${file}"; gebruik agenda.json of agenda.csv.`);
	const dialect = csvDialect(event.url.searchParams.get('sep'));
	if (!dialect)
		return jsonError(
			400,
			'sep moet , of ; zijn (; met decimale komma, voor Excel met Nederlandse instellingen)'
		);
	const agenda = await getAgenda(await storeFor(event), code);
	if (!agenda) return jsonError(404, `Wijk "${code}" heeft (nog) geen wijkagenda.`);
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
};
