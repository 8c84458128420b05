import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Debian's python3-icalendar and python3-feedparser (/usr/bin/python3; the python3 on PATH may
 * be another one without them), as a resident's calendar app or feed reader would read our output.
 */
const PY = '/usr/bin/python3';

function runPython(script: string, files: Record<string, string>): unknown {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-py-'));
	try {
		const names = Object.keys(files);
		names.forEach((n, i) => writeFileSync(path.join(dir, `${i}`), files[n]));
		const res = spawnSync(PY, ['-c', script, dir, JSON.stringify(names)], { encoding: 'utf8' });
		if (res.status !== 0) throw new Error(`python: ${res.stderr}`);
		return JSON.parse(res.stdout);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export interface PyEvent {
	uid: string;
	start: string;
	end: string;
	stamp: string;
	stampUtc: boolean;
	startUtc: boolean;
	status: string | null;
	sequence: number | null;
	location: string | null;
	geo: [number, number] | null;
	summary: string;
}
export interface PyCalendar {
	components: string[];
	props: Record<string, string>;
	events: PyEvent[];
}

const ICAL = `
import sys, os, json, datetime
from icalendar import Calendar
d, names = sys.argv[1], json.loads(sys.argv[2])
out = {}
def iso(v):
    return v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
def isutc(v):
    return isinstance(v, datetime.datetime) and v.tzinfo is not None and v.utcoffset() == datetime.timedelta(0)
for i, n in enumerate(names):
    cal = Calendar.from_ical(open(os.path.join(d, str(i)), 'rb').read())
    evs = []
    for e in cal.walk('VEVENT'):
        s, t, st = e.decoded('DTSTART'), e.decoded('DTEND'), e.decoded('DTSTAMP')
        g = e.get('GEO')
        evs.append({'uid': str(e['UID']), 'start': iso(s), 'end': iso(t), 'stamp': iso(st), 'stampUtc': isutc(st), 'startUtc': isutc(s),
                    'status': str(e['STATUS']) if 'STATUS' in e else None, 'sequence': int(e['SEQUENCE']) if 'SEQUENCE' in e else None,
                    'location': str(e['LOCATION']) if 'LOCATION' in e else None, 'geo': [g.latitude, g.longitude] if g else None,
                    'summary': str(e['SUMMARY'])})
    out[n] = {'components': [c.name for c in cal.subcomponents], 'props': {k: str(v) for k, v in cal.items()}, 'events': evs}
print(json.dumps(out))
`;

/** Each calendar as python icalendar reads it: components, calendar properties and events (times in UTC). */
export function readCalendars(files: Record<string, string>): Record<string, PyCalendar> {
	return runPython(ICAL, files) as Record<string, PyCalendar>;
}

export interface PyFeed {
	bozo: number;
	bozoException: string | null;
	title: string;
	author: string | null;
	links: { rel: string; href: string }[];
	entries: { id: string; title: string }[];
}

const FEED = `
import sys, os, json, feedparser
d, names = sys.argv[1], json.loads(sys.argv[2])
out = {}
for i, n in enumerate(names):
    f = feedparser.parse(open(os.path.join(d, str(i)), 'rb').read())
    out[n] = {'bozo': int(f.bozo), 'bozoException': str(f.get('bozo_exception')) if f.bozo else None,
              'title': f.feed.get('title', ''), 'author': f.feed.get('author'),
              'links': [{'rel': l.get('rel'), 'href': l.get('href')} for l in f.feed.get('links', [])],
              'entries': [{'id': e.get('id'), 'title': e.get('title')} for e in f.entries]}
print(json.dumps(out))
`;

/** Each Atom document as feedparser reads it. */
export function readFeeds(files: Record<string, string>): Record<string, PyFeed> {
	return runPython(FEED, files) as Record<string, PyFeed>;
}
