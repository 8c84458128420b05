import { calendar, type CalendarEvent } from '../../domain/ical.ts';
import { config } from '../config.ts';
import type { Meeting } from './meetings.ts';

const PARTICIPATION_NL: Record<string, string> = {
	informeren: 'informeren (u hoort wat er besloten is)',
	raadplegen: 'raadplegen (uw mening wordt gevraagd)',
	adviseren: 'adviseren (uw advies weegt mee)',
	coproduceren: 'coproduceren (u maakt het plan mee)',
	meebeslissen: 'meebeslissen (u beslist mee)'
};

/** How far back a calendar still lists meetings, so a client keeps last week's in view. */
export const CALENDAR_PAST_DAYS = 30;
/** Meetings per calendar; far more than any wijk plans, and meldingen never count towards it. */
export const CALENDAR_MAX_MEETINGS = 5000;

/**
 * The origin links and UIDs are built from: the configured ORIGIN, else the request's. The UID
 * takes the host name only, never a port, so a meeting keeps its UID behind any proxy.
 */
export function calendarOrigin(requestOrigin: string): { origin: string; uidDomain: string } {
	const origin = config().origin ?? requestOrigin;
	return { origin, uidDomain: new URL(origin).hostname };
}

/** One UID per meeting, whichever calendar it appears in. */
export function meetingUid(id: number, uidDomain: string): string {
	return `bijeenkomst-${id}@${uidDomain}`;
}

function meetingEvent(m: Meeting, origin: string, uidDomain: string): CalendarEvent {
	const url = `${origin}/item/${m.id}`;
	const description = [
		`Participatieniveau: ${m.participation ? (PARTICIPATION_NL[m.participation] ?? m.participation) : 'niet opgegeven'}`,
		`Beïnvloedingsruimte: ${m.influence ?? 'niet opgegeven'}`,
		'',
		m.description,
		'',
		`Meer informatie: ${url}`
	].join('\n');
	const start = new Date(m.startsAt);
	return {
		uid: meetingUid(m.id, uidDomain),
		sequence: m.version - 1,
		start,
		end: m.endsAt ? new Date(m.endsAt) : new Date(start.getTime() + 2 * 3600_000),
		modified: new Date(m.updatedAt),
		created: new Date(m.createdAt),
		summary: m.title,
		description,
		location: [m.venue, m.address].filter(Boolean).join(', ') || null,
		geo: { lat: m.lat, lon: m.lon },
		url,
		cancelled: m.status === 'geannuleerd',
		categories: [m.theme]
	};
}

/**
 * Meetings as an iCalendar feed; every calendar of the portal is written here. Each description
 * states the participation level and the beïnvloedingsruimte first: what a resident can still
 * change is why they would come.
 */
export function meetingsCalendar(
	list: Meeting[],
	opts: { requestOrigin: string; name: string }
): string {
	const { origin, uidDomain } = calendarOrigin(opts.requestOrigin);
	return calendar({
		name: opts.name,
		product: 'bijeenkomsten',
		events: list.map((m) => meetingEvent(m, origin, uidDomain))
	});
}

/** The `from` of a calendar's meetings: CALENDAR_PAST_DAYS ago. */
export function calendarFrom(now = new Date()): Date {
	return new Date(now.getTime() - CALENDAR_PAST_DAYS * 86_400_000);
}
