import QRCode from 'qrcode';
import { sinceKeys } from '../../domain/agenda.ts';
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
	/** A "since" slide: which of the changes it shows ([from, to) in SinceList's order), as slide n of `of`. */
	part?: { n: number; of: number; from: number; to: number };
}

/** Changes per "since" slide: at 28 px and more, this many lines fit beside the map at 1920×1080. */
export const SINCE_PER_SLIDE = 5;

/** Ambitions, each followed by its actions; then the changes since the last meeting; then the meetings ahead. */
export async function buildSlides(view: AgendaView, origin: string): Promise<Slide[]> {
	const wijkUrl = `${origin}/wijk/${encodeURIComponent(view.agenda.wijk)}`;
	const slides: Omit<Slide, 'qr'>[] = [];
	for (const m of view.agenda.ambitions) {
		const keys = m.actions.map((a) => `a${a.id}`).filter((k) => view.places[k]);
		slides.push({
			kind: 'ambition',
			ref: m.id!,
			keys,
			bounds: unionBounds(keys.map((k) => view.places[k])),
			url: `${wijkUrl}#ambitie-${m.id}`
		});
		for (const a of m.actions) {
			const key = `a${a.id}`;
			slides.push({
				kind: 'action',
				ref: a.id!,
				keys: [key],
				bounds: view.places[key] ?? null,
				url: `${wijkUrl}#actie-${a.id}`
			});
		}
	}
	// Every change is shown, however many: as many "since" slides as they need, each highlighting
	// on the map the actions and items it lists.
	const entries = sinceKeys(view.changes, view.itemChanges);
	const total = entries.length;
	const parts = Math.max(1, Math.ceil(total / SINCE_PER_SLIDE));
	for (let n = 0; n < parts; n++) {
		const keys = [...new Set(entries.slice(n * SINCE_PER_SLIDE, (n + 1) * SINCE_PER_SLIDE))].filter(
			(k) => view.places[k]
		);
		slides.push({
			kind: 'since',
			ref: null,
			keys,
			bounds: unionBounds(keys.map((k) => view.places[k])),
			url: `${wijkUrl}?sinds=${view.since}#sinds`,
			part: {
				n: n + 1,
				of: parts,
				from: n * SINCE_PER_SLIDE,
				to: Math.min(total, (n + 1) * SINCE_PER_SLIDE)
			}
		});
	}
	for (const m of view.meetings) {
		slides.push({
			kind: 'meeting',
			ref: m.id,
			keys: [`m${m.id}`],
			bounds: view.places[`m${m.id}`],
			url: `${origin}/item/${m.id}`
		});
	}
	return Promise.all(
		slides.map(async (s) => ({
			...s,
			qr: await QRCode.toDataURL(s.url, { margin: 2, scale: 8, errorCorrectionLevel: 'M' })
		}))
	);
}
