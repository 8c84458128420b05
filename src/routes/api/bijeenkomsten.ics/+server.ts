import { calendarFrom, CALENDAR_MAX_MEETINGS, meetingsCalendar } from '$lib/server/agenda/ical';
import { meetings } from '$lib/server/agenda/meetings';
import { getArea } from '$lib/server/areas';
import { jsonError, storeFor } from '$lib/server/http/json';
import { taxonomy } from '$lib/server/items/taxonomy';
import { calendarResponse } from '$lib/server/residents/feed-http';
import type { RequestHandler } from './$types';

/** GET /api/bijeenkomsten.ics?wijk=<code>&theme=<id>: public meetings as iCalendar, from 30 days ago on. */
export const GET: RequestHandler = async (event) => {
	const db = await storeFor(event);
	const wijk = event.url.searchParams.get('wijk');
	const theme = event.url.searchParams.get('theme');
	let name = 'Bijeenkomsten';
	if (wijk) {
		const area = await getArea(db, wijk, 'wijk');
		if (!area) return jsonError(404, `Er is geen wijk met code "${wijk}".`);
		name += ` in ${area.feature.properties.name}`;
	}
	if (theme && !taxonomy().themes.some((t) => t.id === theme)) {
		return jsonError(
			400,
			`Onbekend thema "${theme}"; toegestaan: ${taxonomy()
				.themes.map((t) => t.id)
				.join(', ')}.`
		);
	}
	const list = await meetings(db, {
		wijk,
		theme,
		from: calendarFrom(),
		limit: CALENDAR_MAX_MEETINGS
	});
	return calendarResponse(
		event.request,
		meetingsCalendar(list, { requestOrigin: event.url.origin, name })
	);
};
