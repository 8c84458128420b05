import type { Position } from 'geojson';
import type { ItemGeometry, ItemInput, TimelineEntry } from '../../domain/items.ts';
import { EVENT_TYPES, FUNDS, PARTICIPATION_LEVELS } from '../../domain/layers.ts';
import { amsterdamTime } from '../../domain/local-time.ts';
import type { MeldingCategory, Taxonomy } from '../../domain/themes.ts';
import {
	type MeldingVariant,
	CONTACT_ROLES,
	EVENTS,
	INITIATIVE_UPDATES,
	INITIATIVES,
	MELDING_REPLIES,
	MELDING_TEXTS,
	ORGANISERS,
	PROJECT_UPDATES,
	PROJECTS,
	REJECTION_REASONS,
	VENUES
} from './item-texts.ts';
import { pick, prng } from './prng.ts';

/**
 * Plausible items of all four layers along real or invented streets. Pure and deterministic:
 * the same seed, streets and `now` give the same items. Fast enough for a million meldingen.
 */
export interface Street {
	name: string;
	/** Name of the buurt the street runs through, for titles like "Opschoondag {buurt}". */
	buurt: string;
	/** Positions along the street, in order. */
	points: Position[];
}

export interface GenerateOptions {
	seed: number;
	now: Date;
	tax: Taxonomy;
	streets: Street[];
	meldingen: number;
	initiatieven: number;
	projecten: number;
	bijeenkomsten: number;
	/**
	 * Where sensitive meldingen (woonoverlast, overlast van personen) are, exactly: real reports
	 * cluster, so some buurten pass the publication threshold and others stay under it. When
	 * given, the other meldingen are never of a sensitive category.
	 */
	sensitive?: { street: Street; count: number; category?: string }[];
	/** Contact data of reporters, for testing that it never leaks. */
	contactDomain?: string;
}

export interface GeneratedItems {
	items: ItemInput[];
	/** Links between items by position in `items`. */
	links: { from: number; to: number; kind: string }[];
}

const DAY = 86_400_000;

/** How often each kind of melding comes in, relative. */
const CATEGORY_WEIGHT: Record<string, number> = {
	straatverlichting: 18,
	afval: 22,
	graffiti: 6,
	'bomen-groen': 12,
	water: 3,
	wegen: 14,
	'fout-parkeren': 10,
	verkeersborden: 4,
	geluidsoverlast: 5,
	speelvoorzieningen: 3,
	woonoverlast: 2,
	'overlast-personen': 2
};

export function generateItems(opts: GenerateOptions): GeneratedItems {
	if (opts.streets.length === 0) throw new Error('geen straten om items op te plaatsen');
	const rand = prng(opts.seed);
	const ctx = new Context(rand, opts);
	const items: ItemInput[] = [];
	const links: GeneratedItems['links'] = [];
	for (let i = 0; i < opts.projecten; i++) items.push(ctx.project(i));
	const projects = items.length;
	for (let i = 0; i < opts.initiatieven; i++) items.push(ctx.initiative(i));
	const initiatives = items.length;
	for (let i = 0; i < opts.bijeenkomsten; i++) {
		items.push(ctx.event(i));
		// A meeting about an initiative or project in the same plan.
		if (i % 3 === 0 && initiatives > projects)
			links.push({
				from: items.length - 1,
				to: projects + (i % (initiatives - projects)),
				kind: 'gerelateerd'
			});
		else if (i % 3 === 1 && projects > 0)
			links.push({ from: items.length - 1, to: i % projects, kind: 'gerelateerd' });
	}
	for (let i = 0; i < opts.meldingen; i++) {
		const m = ctx.melding(i);
		items.push(m);
		// Now and then a melding leads to a project ("zie ook").
		if (projects > 0 && i % 97 === 5 && m.category === 'wegen')
			links.push({ from: items.length - 1, to: i % projects, kind: 'leidde tot' });
	}
	let n = opts.meldingen;
	for (const spot of opts.sensitive ?? []) {
		for (let k = 0; k < spot.count; k++) items.push(ctx.melding(n++, spot));
	}
	return { items, links };
}

class Context {
	private readonly places: { street: Street; index: number }[] = [];
	private readonly categories: MeldingCategory[];
	private readonly cumulative: number[];
	private readonly texts = new Map<string, readonly MeldingVariant[]>();

	constructor(
		private readonly rand: () => number,
		private readonly opts: GenerateOptions
	) {
		for (const street of opts.streets)
			street.points.forEach((_, index) => this.places.push({ street, index }));
		this.categories = opts.sensitive
			? opts.tax.categories.filter((c) => !c.sensitive)
			: opts.tax.categories;
		let sum = 0;
		this.cumulative = this.categories.map((c) => (sum += CATEGORY_WEIGHT[c.id] ?? 3));
		for (const c of opts.tax.categories) {
			// A municipality's own categories get a plain text when there is none written for them.
			const own = (MELDING_TEXTS[c.id] ?? []).filter(([sub]) => c.subcategories.includes(sub));
			this.texts.set(
				c.id,
				own.length
					? own
					: [[c.subcategories[0] ?? '', `${c.nl}, {straat}`, `Melding over ${c.nl.toLowerCase()}.`]]
			);
		}
	}

	private place(street?: Street): { street: Street; pos: Position; nr: number } {
		const p = street
			? { street, index: Math.floor(this.rand() * street.points.length) }
			: this.places[Math.floor(this.rand() * this.places.length)];
		const [lon, lat] = p.street.points[p.index];
		// A few metres off the lamp post or street centre, as a resident's pin would be.
		const pos: Position = [
			round(lon + (this.rand() - 0.5) * 6e-5),
			round(lat + (this.rand() - 0.5) * 4e-5)
		];
		return { street: p.street, pos, nr: 1 + Math.floor(this.rand() * 120) };
	}

	private fill(text: string, street: Street, nr = 1): string {
		return text
			.replace('{straat}', street.name)
			.replace('{buurt}', street.buurt)
			.replace('{nr}', String(nr));
	}

	melding(i: number, spot?: { street: Street; category?: string }): ItemInput {
		const rand = this.rand;
		const cat = spot ? this.sensitiveCategory(spot.category) : this.category();
		const at = this.place(spot?.street);
		const ageDays = Math.floor(rand() ** 1.7 * 180);
		const created = new Date(
			this.opts.now.getTime() - ageDays * DAY - Math.floor(rand() * 12 * 3600_000) - 3600_000
		);
		const sla = cat.slaDays ?? 10;
		const path = meldingPath(rand(), ageDays, sla);
		const [sub, title, description] = pick(rand, this.texts.get(cat.id)!);
		const email = this.opts.contactDomain ? `melder-${i}@${this.opts.contactDomain}` : null;
		return {
			layer: 'meldingen',
			title: this.fill(title, at.street),
			description: this.fill(description, at.street, at.nr),
			theme: cat.theme,
			status: path[path.length - 1],
			category: cat.id,
			subcategory: sub || null,
			geometry: { type: 'Point', coordinates: at.pos },
			createdAt: created,
			timeline: this.timeline(path, created, Math.min(ageDays, sla * 2) * DAY, MELDING_REPLIES),
			contact: email
				? {
						email,
						phone: `06-${String(10_000_000 + ((i * 7919) % 89_999_999)).slice(0, 8)}`,
						name: null
					}
				: null
		};
	}

	private category(): MeldingCategory {
		const r = this.rand() * this.cumulative[this.cumulative.length - 1];
		let k = 0;
		while (this.cumulative[k] < r) k++;
		return this.categories[k];
	}

	private sensitiveCategory(id?: string): MeldingCategory {
		const cat = this.opts.tax.categories.find((c) => (id ? c.id === id : c.sensitive));
		if (!cat) throw new Error(`geen gevoelige categorie ${id ?? ''} in de thema-configuratie`);
		return cat;
	}

	/** Updates spread between creation and `span` later, each with its public text. */
	private timeline(
		path: string[],
		start: Date,
		span: number,
		texts: Record<string, readonly string[]>
	): TimelineEntry[] {
		const out: TimelineEntry[] = [];
		let t = start.getTime();
		const step = path.length > 1 ? span / (path.length - 1) : 0;
		for (let j = 0; j < path.length; j++) {
			if (j > 0)
				t = Math.min(this.opts.now.getTime() - 60_000, t + step * (0.5 + this.rand() * 0.5));
			const pool = texts[path[j]] ?? ['Status bijgewerkt.'];
			out.push({
				at: new Date(t),
				from: j === 0 ? null : path[j - 1],
				to: path[j],
				text: pick(this.rand, pool)
			});
		}
		return out;
	}

	/**
	 * The i-th of n items spread evenly over the streets (which come grouped by area), so every
	 * wijk gets its share of the scarcer layers.
	 */
	private spread(i: number, n: number): Street {
		const streets = this.opts.streets;
		return streets[
			Math.min(streets.length - 1, Math.floor(((i + this.rand()) / n) * streets.length))
		];
	}

	initiative(i: number): ItemInput {
		const rand = this.rand;
		const t = INITIATIVES[i % INITIATIVES.length];
		const at = this.place(this.spread(i, this.opts.initiatieven));
		const ageDays = 10 + Math.floor(rand() * 400);
		const created = new Date(this.opts.now.getTime() - ageDays * DAY);
		const r = rand();
		const status =
			r < 0.12
				? 'idee'
				: r < 0.3
					? 'aangevraagd'
					: r < 0.48
						? 'toegekend'
						: r < 0.7
							? 'in_uitvoering'
							: r < 0.9
								? 'afgerond'
								: 'afgewezen';
		const order = [
			'idee',
			'aangevraagd',
			status === 'afgewezen' ? 'afgewezen' : 'toegekend',
			'in_uitvoering',
			'afgerond'
		];
		const path = order.slice(0, order.indexOf(status) + 1);
		const requested = 250 * (2 + Math.floor(rand() * 38));
		const reason = status === 'afgewezen' ? pick(rand, REJECTION_REASONS) : undefined;
		const granted = ['toegekend', 'in_uitvoering', 'afgerond'].includes(status)
			? Math.round(requested * (0.6 + rand() * 0.4))
			: undefined;
		return {
			layer: 'initiatieven',
			title: this.fill(t.title, at.street),
			description: this.fill(t.description, at.street),
			theme: t.theme,
			themes: t.themes ?? [],
			status,
			geometry: { type: 'Point', coordinates: at.pos },
			createdAt: created,
			details: {
				fund: requested > 5000 ? FUNDS[0] : pick(rand, FUNDS),
				initiator: this.fill(t.initiator, at.street),
				support: t.support,
				budgetRequested: path.length > 1 ? requested : undefined,
				budgetGranted: granted,
				rejectionReason: reason
			},
			timeline: this.timeline(path, created, ageDays * 0.8 * DAY, {
				...INITIATIVE_UPDATES,
				afgewezen: [reason ?? '']
			})
		};
	}

	project(i: number): ItemInput {
		const rand = this.rand;
		const t = PROJECTS[i % PROJECTS.length];
		const street = this.spread(i, this.opts.projecten);
		const phases = ['verkenning', 'ontwerp', 'besluitvorming', 'uitvoering', 'opgeleverd'];
		const phase = Math.min(4, Math.floor(rand() * 5.5));
		const now = this.opts.now.getTime();
		const made = 60 + phase * 120 + Math.floor(rand() * 120);
		// Dates that agree with the phase: planned ahead before execution; started in the past
		// while it runs (planned end ahead); started and finished in the past once delivered.
		const [a, b] = [rand(), rand()];
		let plannedStart: Date;
		let plannedEnd: Date;
		let started: Date | null = null;
		let ended: Date | null = null;
		if (phase <= 2) {
			plannedStart = new Date(now + Math.floor(30 + a * 330) * DAY);
			plannedEnd = new Date(plannedStart.getTime() + Math.floor(90 + b * 300) * DAY);
		} else {
			const c = rand();
			if (phase === 4) ended = new Date(now - Math.floor(1 + rand() * 25) * DAY);
			started =
				phase === 4
					? new Date(ended!.getTime() - Math.floor(90 + c * 300) * DAY)
					: new Date(now - Math.floor(30 + c * 240) * DAY);
			plannedStart = new Date(started.getTime() - Math.floor(a * 40) * DAY);
			plannedEnd = ended
				? new Date(ended.getTime() + Math.floor(b * 60 - 30) * DAY)
				: new Date(now + Math.floor(30 + b * 300) * DAY);
		}
		const created = new Date(
			Math.min(now - made * DAY, plannedStart.getTime() - 60 * DAY, now - 30 * DAY)
		);
		const ageDays = Math.floor((now - created.getTime()) / DAY);
		return {
			layer: 'projecten',
			title: this.fill(t.title, street),
			description: this.fill(t.description, street),
			theme: t.theme,
			themes: t.themes ?? [],
			status: phases[phase],
			geometry: this.shape(t.shape, street),
			createdAt: created,
			details: {
				plannedStart: day(plannedStart),
				plannedEnd: day(plannedEnd),
				actualStart: started ? day(started) : undefined,
				actualEnd: ended ? day(ended) : undefined,
				budget: 25_000 * (2 + Math.floor(rand() * 120)),
				department: t.department,
				contactRole: pick(rand, CONTACT_ROLES),
				participation: pick(rand, PARTICIPATION_LEVELS)
			},
			timeline: this.timeline(
				phases.slice(0, phase + 1),
				created,
				ageDays * 0.9 * DAY,
				PROJECT_UPDATES
			)
		};
	}

	private shape(kind: 'line' | 'polygon' | 'point', street: Street): ItemGeometry {
		const pts = street.points;
		if (kind === 'line' && pts.length >= 2) {
			const start = Math.floor(this.rand() * Math.max(1, pts.length - 6));
			const line = pts.slice(start, start + 8).map((p) => [round(p[0]), round(p[1])]);
			if (line.length >= 2 && (line[0][0] !== line[1][0] || line[0][1] !== line[1][1]))
				return { type: 'LineString', coordinates: line };
		}
		const [lon, lat] = pts[Math.floor(this.rand() * pts.length)];
		if (kind === 'point') return { type: 'Point', coordinates: [round(lon), round(lat)] };
		// A block of about 150 by 100 metres, turned a little, as a park or building plot is.
		const a = this.rand() * Math.PI;
		const [w, h] = [0.0011, 0.00045];
		const corner = (sx: number, sy: number): Position => [
			round(lon + (sx * w * Math.cos(a) - sy * h * Math.sin(a)) * 1.6),
			round(lat + sx * w * Math.sin(a) + sy * h * Math.cos(a))
		];
		const ring = [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
		return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
	}

	event(i: number): ItemInput {
		const rand = this.rand;
		const t = EVENTS[i % EVENTS.length];
		const at = this.place(this.spread(i, this.opts.bijeenkomsten));
		// Two thirds in the past, a third ahead: the agenda and the archive both have something.
		const offsetDays = Math.floor((rand() - 0.66) * 240);
		const d = new Date(this.opts.now.getTime() + offsetDays * DAY);
		const evening = t.type !== 'inloop' && t.type !== 'wijkschouw';
		const startsAt = amsterdamTime(
			d.getUTCFullYear(),
			d.getUTCMonth() + 1,
			d.getUTCDate(),
			evening ? 19 : 10,
			evening ? 30 : 0
		);
		const endsAt = new Date(startsAt.getTime() + (evening ? 2 : 3) * 3600_000);
		const past = endsAt.getTime() < this.opts.now.getTime();
		const cancelled = rand() < 0.06;
		const status = cancelled ? 'geannuleerd' : past ? 'geweest' : 'gepland';
		const created = new Date(
			Math.min(startsAt.getTime(), this.opts.now.getTime()) - (14 + Math.floor(rand() * 30)) * DAY
		);
		const timeline: TimelineEntry[] = [
			{ at: created, from: null, to: 'gepland', text: 'De bijeenkomst is aangekondigd.' }
		];
		if (status !== 'gepland') {
			timeline.push({
				at: cancelled ? new Date(created.getTime() + 7 * DAY) : endsAt,
				from: 'gepland',
				to: status,
				text: cancelled
					? 'De bijeenkomst gaat niet door; een nieuwe datum volgt.'
					: 'Dank voor uw komst. Het verslag staat online.'
			});
		}
		const type = (EVENT_TYPES as readonly string[]).includes(t.type) ? t.type : EVENT_TYPES[0];
		return {
			layer: 'bijeenkomsten',
			title: this.fill(t.title, at.street),
			description: this.fill(t.description, at.street),
			theme: t.theme,
			status,
			geometry: { type: 'Point', coordinates: at.pos },
			createdAt: created,
			startsAt,
			endsAt,
			details: {
				venue: `${pick(rand, VENUES)} ${at.street.buurt}`,
				address: `${at.street.name} ${at.nr}`,
				organiser: pick(rand, ORGANISERS),
				eventType: type,
				participation: t.participation,
				influence: t.influence,
				reportUrl:
					status === 'geweest'
						? `https://www.example.org/verslagen/bijeenkomst-${i + 1}`
						: undefined
			},
			timeline
		};
	}
}

/** The statuses a melding went through, ending in its current one. */
function meldingPath(r: number, ageDays: number, sla: number): string[] {
	if (ageDays < 1) return r < 0.7 ? ['gemeld'] : ['gemeld', 'in_behandeling'];
	// Most work is done within its term: past it, few stay open; long past it, hardly any
	// (a believable 5–10 % of all meldingen overdue, not most of the open ones).
	const cut =
		ageDays > sla * 1.5
			? [0.004, 0.012, 0.02, 0.96, 0.97]
			: ageDays > sla
				? [0.03, 0.1, 0.16, 0.94, 0.96]
				: [0.2, 0.5, 0.65, 0.93, 0.95];
	if (r < cut[0]) return ['gemeld'];
	if (r < cut[1]) return ['gemeld', 'in_behandeling'];
	if (r < cut[2]) return ['gemeld', 'in_behandeling', 'ingepland'];
	if (r < cut[3]) return ['gemeld', 'in_behandeling', 'afgehandeld'];
	if (r < cut[4]) return ['gemeld', 'in_behandeling', 'afgehandeld', 'heropend'];
	return ['gemeld', 'geannuleerd'];
}

function round(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}

function day(d: Date): string {
	return d.toISOString().slice(0, 10);
}
