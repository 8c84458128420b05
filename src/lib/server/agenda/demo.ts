import type { Geometry } from 'geojson';
import {
	parseAgenda,
	type Action,
	type ActionStatus,
	type ActionUpdate,
	type Agenda
} from '../../domain/agenda.ts';
import type { Db } from '../db/types.ts';
import { pick, prng } from '../demo/prng.ts';
import { replaceAgenda } from './store.ts';

/**
 * A plausible wijkagenda for every wijk in the store, in the shape of Utrecht's wijkambities
 * (Binnenstad: goede openbare ruimte, veiligheid, verkeer en overlast reguleren): 3–4
 * ambitions, each with a SMART goal and 2–4 actions placed inside the wijk, some linked to
 * existing items, with a public history over the past months. Writes no items.
 */
interface ActionTemplate {
	title: string;
	owner: string;
	/** Where it happens: at a linked item of this layer, along a street (line), or over buurten. */
	place: 'projecten' | 'initiatieven' | 'bijeenkomsten' | 'meldingen' | 'buurten' | 'punt';
	budget: number | null;
}
interface AmbitionTemplate {
	theme: string;
	title: string;
	description: string;
	goal: { indicator: string; unit: string; baseline: number; target: number };
	actions: ActionTemplate[];
}

const TEMPLATES: AmbitionTemplate[] = [
	{
		theme: 'openbare-ruimte',
		title: 'Een schone, hele en prettige openbare ruimte',
		description: 'Straten, pleinen en stoepen zijn schoon en heel; bewoners voelen zich er thuis.',
		goal: {
			indicator: 'Bewoners tevreden over onderhoud openbare ruimte',
			unit: '%',
			baseline: 58,
			target: 70
		},
		actions: [
			{
				title: 'Herinrichting van het buurtplein',
				owner: 'Stadsbedrijven – Openbare Ruimte',
				place: 'projecten',
				budget: 420000
			},
			{
				title: 'Extra veegrondes rond winkelstraten',
				owner: 'Stadsbedrijven – Reiniging',
				place: 'buurten',
				budget: 60000
			},
			{
				title: 'Ondergrondse afvalcontainers bijplaatsen',
				owner: 'Afvalinzameling',
				place: 'punt',
				budget: 150000
			},
			{
				title: 'Wijkschouw met bewoners twee keer per jaar',
				owner: 'Wijkbureau',
				place: 'bijeenkomsten',
				budget: 5000
			}
		]
	},
	{
		theme: 'veiligheid',
		title: 'Veiligheid en minder overlast',
		description:
			'Minder woonoverlast en overlast van personen; bewoners weten waar ze terechtkunnen.',
		goal: {
			indicator: 'Meldingen woonoverlast per jaar',
			unit: 'meldingen',
			baseline: 140,
			target: 100
		},
		actions: [
			{
				title: 'Buurtgerichte aanpak overlast rond het station',
				owner: 'Politie en Veiligheid & Handhaving',
				place: 'meldingen',
				budget: 80000
			},
			{
				title: 'Betere verlichting op donkere looproutes',
				owner: 'Stadsbedrijven – Openbare Verlichting',
				place: 'punt',
				budget: 95000
			},
			{
				title: 'Buurtpreventie-app en WhatsApp-groepen ondersteunen',
				owner: 'Wijkbureau',
				place: 'buurten',
				budget: 8000
			}
		]
	},
	{
		theme: 'verkeer',
		title: 'Verkeer reguleren, veilig fietsen en lopen',
		description: 'Minder doorgaand autoverkeer, veilige schoolroutes en ruimte voor voetgangers.',
		goal: {
			indicator: 'Verkeersongevallen met letsel',
			unit: 'ongevallen',
			baseline: 24,
			target: 15
		},
		actions: [
			{
				title: 'Schoolzone bij de basisscholen',
				owner: 'Mobiliteit',
				place: 'projecten',
				budget: 210000
			},
			{ title: 'Fietsparkeren uitbreiden', owner: 'Mobiliteit', place: 'punt', budget: 120000 },
			{
				title: 'Snelheidsremmende maatregelen op de wijkontsluitingsweg',
				owner: 'Mobiliteit',
				place: 'projecten',
				budget: 340000
			}
		]
	},
	{
		theme: 'groen-water',
		title: 'Meer groen en klimaatbestendig',
		description: 'Meer bomen en geveltuinen, minder tegels; regenwater blijft in de wijk.',
		goal: {
			indicator: 'Vierkante meter verharding vervangen door groen',
			unit: 'm²',
			baseline: 0,
			target: 5000
		},
		actions: [
			{
				title: 'Operatie Steenbreek: tegels eruit, groen erin',
				owner: 'Groen en Water',
				place: 'initiatieven',
				budget: 45000
			},
			{
				title: 'Vijftig nieuwe bomen in straten zonder groen',
				owner: 'Groen en Water',
				place: 'buurten',
				budget: 175000
			},
			{
				title: 'Wadi in het park',
				owner: 'Groen en Water met waterschap',
				place: 'projecten',
				budget: 260000
			}
		]
	},
	{
		theme: 'sociale-cohesie',
		title: 'Samen leven in de wijk',
		description: 'Ontmoeting tussen buren, steun voor bewonersinitiatieven en een open buurthuis.',
		goal: {
			indicator: 'Bewoners die zich verbonden voelen met hun buurt',
			unit: '%',
			baseline: 45,
			target: 55
		},
		actions: [
			{
				title: 'Initiatievenfonds actief onder de aandacht brengen',
				owner: 'Wijkbureau',
				place: 'initiatieven',
				budget: 30000
			},
			{
				title: 'Buurthuis langer open, ook in het weekend',
				owner: 'Welzijnsorganisatie',
				place: 'punt',
				budget: 70000
			},
			{
				title: 'Wijkfeest en burendag',
				owner: 'Wijkraad met bewoners',
				place: 'bijeenkomsten',
				budget: 12000
			}
		]
	},
	{
		theme: 'jeugd-onderwijs',
		title: 'Kansen voor jongeren',
		description: 'Plekken om te sporten en elkaar te ontmoeten; jongerenwerk dichtbij.',
		goal: {
			indicator: 'Jongeren dat deelneemt aan activiteiten in de wijk',
			unit: 'jongeren',
			baseline: 300,
			target: 450
		},
		actions: [
			{
				title: 'Pannaveld en calisthenics-toestellen',
				owner: 'Sport en Jeugd',
				place: 'projecten',
				budget: 95000
			},
			{
				title: 'Ambulant jongerenwerk op vrijdagavond',
				owner: 'Jongerenwerk',
				place: 'buurten',
				budget: 55000
			},
			{
				title: 'Jongerenraad betrekken bij de wijkagenda',
				owner: 'Wijkbureau',
				place: 'bijeenkomsten',
				budget: null
			}
		]
	}
];

const DAY = 86_400_000;
const ymd = (d: Date) => d.toISOString().slice(0, 10);

interface WijkPlaces {
	code: string;
	name: string;
	buurten: { code: string; point: [number, number] }[];
	items: Record<string, { id: number; geom: Geometry }[]>;
}

async function placesOf(db: Db): Promise<WijkPlaces[]> {
	const wijken = await db.query<{ code: string; name: string }>(
		`SELECT code, name FROM area WHERE level = 'wijk' ORDER BY code`
	);
	const buurten = await db.query<{ parent: string; code: string; p: string }>(
		`SELECT parent, code, ST_AsGeoJSON(ST_PointOnSurface(geom), 6) AS p FROM area WHERE parent IS NOT NULL AND level = 'buurt' ORDER BY code`
	);
	// A handful of public items per wijk and layer to link and to place actions at.
	const items = await db.query<{ wijk: string; layer: string; id: number; g: string }>(
		`SELECT wijk, layer, id::int, g FROM (
		   SELECT areas->>'wijk' AS wijk, layer, id, ST_AsGeoJSON(geom, 6) AS g,
		          row_number() OVER (PARTITION BY areas->>'wijk', layer ORDER BY id) AS n
		   FROM public_item WHERE areas ? 'wijk'
		     AND (layer <> 'bijeenkomsten' OR starts_at > now())) x
		 WHERE n <= 6`
	);
	return wijken.map((w) => {
		const byLayer: WijkPlaces['items'] = {};
		for (const it of items.filter((i) => i.wijk === w.code))
			(byLayer[it.layer] ??= []).push({ id: it.id, geom: JSON.parse(it.g) });
		return {
			...w,
			buurten: buurten
				.filter((b) => b.parent === w.code)
				.map((b) => ({ code: b.code, point: JSON.parse(b.p).coordinates })),
			items: byLayer
		};
	});
}

/** One wijk's agenda, deterministic for (seed, wijk code, now). */
export function demoAgenda(w: WijkPlaces, now: Date, seed: number): Agenda {
	let h = seed;
	for (const ch of w.code) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
	const rand = prng(h);
	const year = now.getUTCFullYear();
	const start = new Date(Date.UTC(year - 1, 0, 1));
	const templates = [...TEMPLATES].sort(() => rand() - 0.5).slice(0, 3 + Math.floor(rand() * 2));
	const used = new Set<number>();
	const ambitions = templates.map((t, i) => {
		const actions = [...t.actions]
			.sort(() => rand() - 0.5)
			.slice(0, 2 + Math.floor(rand() * (t.actions.length - 1)));
		const progressShare = 0.2 + rand() * 0.6;
		return {
			theme: t.theme,
			title: t.title,
			description: t.description,
			rank: i + 1,
			goals: [
				{
					...t.goal,
					current: Math.round(t.goal.baseline + (t.goal.target - t.goal.baseline) * progressShare),
					deadline: `${year + 2}-12-31`
				}
			],
			actions: actions.map((a) => demoAction(a, w, rand, now, start, used))
		};
	});
	return parseAgenda({
		wijk: w.code,
		periodStart: year - 1,
		periodEnd: year + 2,
		title: `Wijkagenda ${w.name} ${year - 1}–${year + 2}`,
		contacts: [
			{
				role: 'wijkregisseur',
				name: `Wijkregisseur ${w.name}`,
				email: `wijkbureau.${w.code.toLowerCase().replace(/[^a-z0-9]/g, '')}@gemeente.example`,
				url: null
			},
			{
				role: 'wijkraad',
				name: `Wijkraad ${w.name}`,
				email: null,
				url: `https://wijkraad.example/${encodeURIComponent(w.code)}`
			}
		],
		ambitions
	});
}

function demoAction(
	t: ActionTemplate,
	w: WijkPlaces,
	rand: () => number,
	now: Date,
	start: Date,
	used: Set<number>
): Action {
	let geometry: Geometry | null = null;
	let buurten: string[] = [];
	const items: number[] = [];
	const candidates = t.place in w.items ? w.items[t.place].filter((i) => !used.has(i.id)) : [];
	if (candidates.length) {
		const it = pick(rand, candidates);
		used.add(it.id);
		items.push(it.id);
		geometry = it.geom;
	} else if (t.place === 'buurten' && w.buurten.length) {
		buurten = [...w.buurten]
			.sort(() => rand() - 0.5)
			.slice(0, Math.min(w.buurten.length, 1 + Math.floor(rand() * 3)))
			.map((b) => b.code);
	} else if (w.buurten.length) {
		geometry = { type: 'Point', coordinates: pick(rand, w.buurten).point };
	}
	const plannedStart = new Date(start.getTime() + Math.floor(rand() * 400) * DAY);
	const plannedEnd = new Date(plannedStart.getTime() + (120 + Math.floor(rand() * 500)) * DAY);
	// History: created at the start of the period, then a few steps, the last ones recent.
	const created = new Date(Math.min(plannedStart.getTime() - 30 * DAY, now.getTime() - 200 * DAY));
	const updates: ActionUpdate[] = [
		{
			at: created.toISOString(),
			statusFrom: null,
			statusTo: 'gepland',
			progressFrom: null,
			progressTo: 0,
			text: 'Actie opgenomen in het wijkactieprogramma.'
		}
	];
	let status: ActionStatus = 'gepland';
	let progress = 0;
	let at = created.getTime();
	const steps = plannedStart < now ? 1 + Math.floor(rand() * 3) : 0;
	for (let s = 0; s < steps; s++) {
		at = Math.min(now.getTime() - DAY, at + (20 + Math.floor(rand() * 90)) * DAY);
		// Half the actions moved in the last month: the "sinds het vorige wijkoverleg" view has news.
		if (s === steps - 1 && rand() < 0.5)
			at = Math.max(at, now.getTime() - (1 + Math.floor(rand() * 28)) * DAY);
		const from = status;
		const fromP = progress;
		const r = rand();
		if (r < 0.15 && status !== 'gepland') status = 'vertraagd';
		else if (progress >= 70 && r > 0.6) [status, progress] = ['afgerond', 100];
		else [status, progress] = ['loopt', Math.min(95, progress + 15 + Math.floor(rand() * 35))];
		updates.push({
			at: new Date(at).toISOString(),
			statusFrom: from,
			statusTo: status,
			progressFrom: fromP,
			progressTo: progress,
			text: stepText(status, from, progress, t, s)
		});
		if (status === 'afgerond') break;
	}
	return {
		title: t.title,
		description: '',
		owner: t.owner,
		plannedStart: ymd(plannedStart),
		plannedEnd: ymd(plannedEnd),
		actualStart: status === 'gepland' ? null : (updates[1]?.at.slice(0, 10) ?? null),
		actualEnd: status === 'afgerond' ? updates[updates.length - 1].at.slice(0, 10) : null,
		status,
		progress,
		budget: t.budget,
		geometry,
		buurten,
		items,
		updates
	};
}

/**
 * What a wijkregisseur writes at a step: it says who did what and how far it is, and differs per
 * action and step (a demo where every action reads the same sentence convinces no one).
 */
function stepText(
	status: ActionStatus,
	from: ActionStatus,
	progress: number,
	t: ActionTemplate,
	step: number
): string {
	const k = (t.title.length + step) % 3;
	switch (status) {
		case 'loopt':
			if (from === 'gepland') {
				return [
					`${t.owner} is begonnen; de eerste bewoners zijn benaderd.`,
					`Gestart met een schouw door de buurt samen met ${t.owner}.`,
					`Aftrap gehouden met bewoners en ${t.owner}; de planning staat.`
				][k];
			}
			if (from === 'vertraagd')
				return `Weer op gang: ${t.owner} heeft een nieuwe planning en zit op ${progress}%.`;
			return [
				`Ongeveer ${progress}% klaar; de volgende stap staat op de agenda van het wijkoverleg.`,
				`${t.owner} meldt ${progress}% voortgang; bewoners praten mee over de laatste keuzes.`,
				`Voortgang ${progress}%: het eerste deel is klaar, het tweede is in voorbereiding.`
			][k];
		case 'vertraagd':
			return [
				`Vertraagd: ${t.owner} wacht op een vergunning. Nieuwe planning volgt.`,
				'Vertraagd: de aannemer kan pas later beginnen. Nieuwe planning volgt.',
				'Vertraagd door te weinig aanmeldingen van bewoners; we zoeken samen met de buurt naar een nieuwe aanpak.'
			][k];
		case 'afgerond':
			return [
				'Afgerond en opgeleverd. Dank aan alle bewoners die meedachten.',
				`Klaar: ${t.owner} heeft het werk afgerond; de evaluatie komt in het volgende wijkoverleg.`,
				'Afgerond. Bewoners houden het samen met de gemeente bij.'
			][k];
		case 'geschrapt':
			return 'Geschrapt na bespreking in het wijkoverleg.';
		default:
			return 'Ingepland.';
	}
}

/** Writes an agenda for every wijk without one; returns how many were written. */
export async function seedAgendas(
	db: Db,
	source: string,
	opts: { now?: Date; seed?: number } = {}
): Promise<number> {
	const now = opts.now ?? new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
	const places = await placesOf(db);
	const have = new Set(
		(await db.query<{ wijk: string }>(`SELECT DISTINCT wijk FROM agenda`)).map((r) => r.wijk)
	);
	const todo = places.filter((w) => !have.has(w.code) && w.buurten.length);
	await db.transaction(async (tx) => {
		for (const w of todo)
			await replaceAgenda(
				tx,
				demoAgenda(w, now, opts.seed ?? 2026),
				{ kind: 'import', command: source },
				now
			);
	});
	return todo.length;
}
