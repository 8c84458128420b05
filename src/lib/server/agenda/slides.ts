import QRCode from 'qrcode';
import { unionBounds, type AgendaView, type Bounds } from './view.ts';

/** One slide of the meeting mode: what it shows, where the map goes, what the QR code opens. */
export interface Slide {
	kind: 'ambition' | 'action' | 'since' | 'meeting';
	/** Ambition, action or meeting id; null for the "since" slide. */
	ref: number | null;
	/** Overlay keys highlighted on the map. */
	keys: string[];
	bounds: Bounds | null;
	/** The item's public page. */
	url: string;
	/** That URL as a QR code (PNG data URL), made here: nothing leaves the machine. */
	qr: string;
}

/** Ambitions, each followed by its actions; then the changes since the last meeting; then the meetings ahead. */
export async function buildSlides(view: AgendaView, origin: string): Promise<Slide[]> {
	const wijkUrl = `${origin}/wijk/${encodeURIComponent(view.agenda.wijk)}`;
	const slides: Omit<Slide, 'qr'>[] = [];
	for (const m of view.agenda.ambitions) {
		const keys = m.actions.map((a) => `a${a.id}`).filter((k) => view.places[k]);
		slides.push({ kind: 'ambition', ref: m.id!, keys, bounds: unionBounds(keys.map((k) => view.places[k])), url: `${wijkUrl}#ambitie-${m.id}` });
		for (const a of m.actions) {
			const key = `a${a.id}`;
			slides.push({ kind: 'action', ref: a.id!, keys: [key], bounds: view.places[key] ?? null, url: `${wijkUrl}#actie-${a.id}` });
		}
	}
	const c = view.changes;
	const changed = [...new Set([...c.added, ...c.statusChanged, ...c.progressed, ...c.slipped].map((x) => `a${x.id}`))].filter((k) => view.places[k]);
	slides.push({ kind: 'since', ref: null, keys: changed, bounds: unionBounds(changed.map((k) => view.places[k])), url: `${wijkUrl}?sinds=${view.since}#sinds` });
	for (const m of view.meetings) {
		slides.push({ kind: 'meeting', ref: m.id, keys: [`m${m.id}`], bounds: view.places[`m${m.id}`], url: `${origin}/item/${m.id}` });
	}
	return Promise.all(slides.map(async (s) => ({ ...s, qr: await QRCode.toDataURL(s.url, { margin: 2, scale: 8, errorCorrectionLevel: 'M' }) })));
}
