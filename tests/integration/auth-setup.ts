import type { Db } from '../../src/lib/server/db/types.ts';
import type { Role } from '../../src/lib/domain/staff.ts';
import { addUser } from '../../src/lib/server/auth/users.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { replaceAgenda } from '../../src/lib/server/agenda/store.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/** Shared by the accounts tests: Utrecht's wijken, one item in wijk 01 and a member of staff per persona. */
export const PASSWORD = 'een-lang-testwachtwoord';
export const OWN_WIJK = '01';
export const OTHER_WIJK = '02';

export interface Persona {
	key: string;
	role: Role;
	email: string;
	wijken: string[];
	department?: string;
	/** Bound to a wijk other than the sample item's: a scoped rule must refuse them. */
	wrongWijk: boolean;
}

export const PERSONAS: Persona[] = [
	{
		key: 'beheerder',
		role: 'beheerder',
		email: 'beheer@gemeente.test',
		wijken: [],
		wrongWijk: false
	},
	{
		key: 'wijkregisseur',
		role: 'wijkregisseur',
		email: 'regisseur-west@gemeente.test',
		wijken: [OWN_WIJK],
		wrongWijk: false
	},
	{
		key: 'wijkregisseur-andere-wijk',
		role: 'wijkregisseur',
		email: 'regisseur-noordwest@gemeente.test',
		wijken: [OTHER_WIJK],
		wrongWijk: true
	},
	{
		key: 'medewerker',
		role: 'medewerker',
		email: 'medewerker-west@gemeente.test',
		wijken: [OWN_WIJK],
		wrongWijk: false
	},
	{
		key: 'medewerker-andere-wijk',
		role: 'medewerker',
		email: 'medewerker-noordwest@gemeente.test',
		wijken: [OTHER_WIJK],
		department: 'Mobiliteit',
		wrongWijk: true
	},
	{
		key: 'moderator',
		role: 'moderator',
		email: 'moderator@gemeente.test',
		wijken: [],
		wrongWijk: false
	}
];

/** Areas, one project in wijk 01 (department Stadsbeheer) and the personas; returns the item id and a point inside wijk 01. */
export async function seedAccounts(db: Db): Promise<{ itemId: number; point: [number, number] }> {
	await insertUtrechtAreas(db);
	const [p] = await db.query<{ x: number; y: number }>(
		`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM area WHERE level = 'wijk' AND code = $1) s`,
		[OWN_WIJK]
	);
	const res = await db.transaction(async (tx) => {
		await syncTaxonomy(tx);
		return insertItems(tx, [
			{
				layer: 'projecten',
				title: 'Herinrichting testplein',
				description: '',
				theme: 'openbare-ruimte',
				status: 'ontwerp',
				geometry: { type: 'Point', coordinates: [p.x, p.y] },
				details: { department: 'Stadsbeheer' }
			}
		]);
	});
	for (const persona of PERSONAS) {
		await addUser(
			db,
			{
				email: persona.email,
				role: persona.role,
				wijken: persona.wijken,
				name: `Test ${persona.key}`,
				department: persona.department ?? null,
				password: PASSWORD
			},
			{ kind: 'system' }
		);
	}
	return { itemId: res.ids[0]!, point: [p.x, p.y] };
}

/** Signs in through the login form like a browser; returns the Cookie header value. */
export async function login(
	base: string,
	email: string,
	password = PASSWORD
): Promise<{ cookie: string | null; res: Response }> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: base,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password, redirectTo: '/beheer' })
	});
	const set = res.headers.getSetCookie().find((c) => c.startsWith('wijkkaart_sessie='));
	return { cookie: set ? set.split(';')[0] : null, res };
}

/**
 * A wijkagenda for `wijk` with one ambition, one goal (no measurement yet) and one action on its
 * first buurt, written by the system; returns that buurt and the ids, as text for forms.
 */
export async function seedAgenda(
	db: Db,
	wijk: string
): Promise<{ buurt: string; action: string; ambition: string; goal: string }> {
	const [{ code: buurt }] = await db.query<{ code: string }>(
		`SELECT code FROM area WHERE level = 'buurt' AND parent = $1 ORDER BY code LIMIT 1`,
		[wijk]
	);
	const action = {
		title: 'Geveltuinen aanleggen',
		description: 'Met bewoners',
		owner: 'Stadsbeheer',
		plannedStart: null,
		plannedEnd: null,
		actualStart: null,
		actualEnd: null,
		status: 'gepland' as const,
		progress: 0,
		budget: null,
		geometry: null,
		buurten: [buurt],
		items: []
	};
	const goal = {
		indicator: 'Geveltuinen',
		unit: 'stuks',
		baseline: 0,
		target: 20,
		current: null,
		deadline: '2027-12-31'
	};
	const ambition = {
		theme: 'openbare-ruimte',
		title: 'Groen en heel',
		description: 'Meer groen',
		rank: 1,
		goals: [goal],
		actions: [action]
	};
	await db.transaction((tx) =>
		replaceAgenda(
			tx,
			{
				wijk,
				periodStart: 2026,
				periodEnd: 2029,
				title: 'Wijkagenda West',
				contacts: [],
				ambitions: [ambition]
			},
			{ kind: 'system' }
		)
	);
	const [ids] = await db.query<{ action: string; ambition: string; goal: string }>(
		`SELECT a.id::text AS action, m.id::text AS ambition, g.id::text AS goal FROM action a JOIN ambition m ON m.id = a.ambition_id JOIN goal g ON g.ambition_id = m.id
		 JOIN agenda x ON x.id = m.agenda_id WHERE x.wijk = $1 ORDER BY a.id LIMIT 1`,
		[wijk]
	);
	return { buurt, ...ids };
}
