import ical, { ICalEventStatus } from 'ical-generator';
import type { Meeting } from './meetings.ts';

const PARTICIPATION_NL: Record<string, string> = {
	informeren: 'informeren (u hoort wat er besloten is)',
	raadplegen: 'raadplegen (uw mening wordt gevraagd)',
	adviseren: 'adviseren (uw advies weegt mee)',
	coproduceren: 'coproduceren (u maakt het plan mee)',
	meebeslissen: 'meebeslissen (u beslist mee)'
};

/**
 * The meetings as an iCalendar feed. Each description states the participation level and the
 * beïnvloedingsruimte first: what a resident can still change is why they would come.
 */
export function meetingsCalendar(list: Meeting[], opts: { origin: string; name: string }): string {
	const cal = ical({ name: opts.name, prodId: { company: 'Wijkkaart', product: 'bijeenkomsten', language: 'NL' }, timezone: 'Europe/Amsterdam' });
	for (const m of list) {
		const url = `${opts.origin}/item/${m.id}`;
		const lines = [
			`Participatieniveau: ${m.participation ? (PARTICIPATION_NL[m.participation] ?? m.participation) : 'niet opgegeven'}`,
			`Beïnvloedingsruimte: ${m.influence ?? 'niet opgegeven'}`,
			'',
			m.description,
			'',
			`Meer informatie: ${url}`
		];
		cal.createEvent({
			id: `bijeenkomst-${m.id}@wijkkaart`,
			start: new Date(m.startsAt),
			end: m.endsAt ? new Date(m.endsAt) : new Date(new Date(m.startsAt).getTime() + 2 * 3600_000),
			summary: m.title,
			description: lines.join('\n').trim(),
			location: [m.venue, m.address].filter(Boolean).join(', ') || null,
			url,
			status: m.status === 'geannuleerd' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED
		});
	}
	return cal.toString();
}
