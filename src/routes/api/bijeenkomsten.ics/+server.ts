import { calendarFrom, CALENDAR_MAX_MEETINGS, meetingsCalendar } from '$lib/server/agenda/ical';
import { meetings } from '$lib/server/agenda/meetings';
import { getArea } from '$lib/server/areas';
import { AppError, msg, NotFoundError } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { storeFor } from '$lib/server/http/json';
import { taxonomy } from '$lib/server/items/taxonomy';
import { calendarResponse } from '$lib/server/residents/feed-http';
import type { RequestHandler } from './$types';

/** GET /api/bijeenkomsten.ics?wijk=<code>&theme=<id>: public meetings as iCalendar, from 30 days ago on. */
export const GET: RequestHandler = endpoint(async (event) => {
	const db = await storeFor(event);
	const wijk = event.url.searchParams.get('wijk');
	const theme = event.url.searchParams.get('theme');
	let name = 'Bijeenkomsten';
	if (wijk) {
		const area = await getArea(db, wijk, 'wijk');
		if (!area)
			throw new NotFoundError(msg('errors.feed.area', { kind: 'wijk', name: wijk }), {
				field: 'wijk'
			});
		name += ` in ${area.feature.properties.name}`;
	}
	if (theme && !taxonomy().themes.some((t) => t.id === theme)) {
		const allowed = taxonomy()
			.themes.map((t) => t.id)
			.join(', ');
		throw new AppError(msg('errors.meetings.theme', { theme, allowed }), { field: 'theme' });
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
});
