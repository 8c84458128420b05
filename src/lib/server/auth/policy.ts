import { ForbiddenError, msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import type { RequestEvent } from '@sveltejs/kit';
import type { Sql } from '../db/types.ts';
import type { Role, StaffUser } from '../../domain/staff.ts';
import { WIJK_BOUND_ROLES } from './users.ts';
import { formItemsWijk } from '../items/queue-scope.ts';
import { itemWijken } from '../items/queries.ts';

/**
 * WHO MAY DO WHAT, in one table. guard.ts (called from hooks.server.ts for every request) is
 * the one place where authorization is decided, and it decides only from RULES below: a write
 * route or a /beheer page without an entry here answers 403, so a new route is closed until
 * someone writes its line. Route handlers do not check roles themselves.
 *
 * Keys: the SvelteKit route id (event.route.id), then the method: 'GET' (a /beheer page, or
 * any GET that should not be public), 'POST' | 'PUT' | 'PATCH' | 'DELETE' (+server.ts, or a
 * page's default form action), `POST ?/name` (the named form action), or 'actions' (every
 * form action of the page not listed by name).
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RuleKey = Method | `POST ?/${string}` | 'actions';

/** What a resource touches: its wijk codes and, for medewerkers, its department. */
export interface Scope {
	wijken: string[];
	department?: string | null;
	/** A second scope that must hold as well, e.g. where an edited item moves to. */
	and?: Scope | null;
}

/**
 * Resolves the scope of the resource a request acts on. null: there is no such resource; the
 * request goes on so the handler can answer 404 (nothing is written either way).
 */
export type ScopeResolver = (event: RequestEvent, db: Sql) => Promise<Scope | null>;

export interface Rule {
	/** 'public': anyone, signed in or not; 'staff': any signed-in role; or these roles. */
	allow: 'public' | 'staff' | readonly Role[];
	/**
	 * For roles bound to wijken (wijkregisseur, medewerker): the resource's wijken must include
	 * one of the user's, or (medewerker only) its department must be the user's.
	 */
	wijk?: ScopeResolver;
	/** An item write: the roles here, and where the item lies is decided inside the write (decideItemWrite). */
	item?: ItemWrite;
}

export const PUBLIC: Rule = { allow: 'public' };
export const STAFF: Rule = { allow: 'staff' };
export const only = (...roles: Role[]): Rule => ({ allow: roles });
export const scoped = (wijk: ScopeResolver, ...roles: Role[]): Rule => ({ allow: roles, wijk });

/** The wijk (and department) of the item whose id is in the route parameter `param`. */
export function itemWijk(param = 'id'): ScopeResolver {
	return async (event, db) => {
		const id = event.params[param as keyof typeof event.params] as string | undefined;
		if (!id || !/^\d{1,18}$/.test(id)) return null;
		const [row] = await itemWijken(db, [Number(id)]);
		return row ? { wijken: row.wijk ? [row.wijk] : [], department: row.department } : null;
	};
}

/** The wijk code in the route parameter `param` (e.g. /beheer/wijk/[code]/…). */
export function paramWijk(param = 'code'): ScopeResolver {
	return async (event) => {
		const code = event.params[param as keyof typeof event.params] as string | undefined;
		return code ? { wijken: [code] } : null;
	};
}

/**
 * ITEM WRITES: who may write which item, decided once, from the item as stored before the write
 * and as it would be stored after it (its wijk as the store assigns it, its department). Every
 * write function (items/edit.ts, moderation.ts) calls authorizeItemWrite inside its transaction,
 * so the answer is the same whatever route, form or body encoding carried the request; the guard
 * only turns away the wrong role early, from the same table.
 */
export type ItemWrite = 'create' | 'edit' | 'status' | 'delete' | 'restore' | 'moderate';

const EDITORS: readonly Role[] = ['beheerder', 'wijkregisseur', 'medewerker'];
export const ITEM_WRITERS: Record<ItemWrite, readonly Role[]> = {
	create: EDITORS,
	edit: EDITORS,
	// The status is the item's public phase: editors only, also when asked from the moderation page.
	status: EDITORS,
	delete: ['beheerder', 'wijkregisseur'],
	restore: ['beheerder', 'wijkregisseur'],
	moderate: ['beheerder', 'moderator']
};

/** The guard's early refusal of the wrong role for an item write route. */
export function itemRule(write: ItemWrite): Rule {
	return { ...only(...ITEM_WRITERS[write]), item: write };
}

/** Where an item lies for authorization: its wijk code (none outside every wijk) and department. */
export interface ItemScope {
	wijk: string | null;
	department: string | null;
}

export function itemScope(item: {
	areas: Record<string, string>;
	details: Record<string, unknown>;
}): ItemScope {
	const department = item.details?.department;
	return {
		wijk: item.areas?.wijk ?? null,
		department: typeof department === 'string' && department.trim() ? department : null
	};
}

/**
 * The decision for one item write. `before` is null for a new item; `after` is null where the
 * write does not move or re-file the item (or is not known yet: the role and the stored item
 * are checked first, so a refused user learns nothing from a conflict answer).
 *
 * A wijk-bound role needs the item in one of its wijken before and after. A medewerker may also
 * act on an item that was already filed under their own department (by someone else, or earlier),
 * but only where it lies: a department does not carry the item into another wijk, and writing
 * one's own department into an item grants nothing that its wijk did not already grant.
 */
export function decideItemWrite(
	user: StaffUser,
	write: ItemWrite,
	before: ItemScope | null,
	after: ItemScope | null
): Decision {
	if (!ITEM_WRITERS[write].includes(user.role))
		return { outcome: 'forbidden', reason: msg('errors.auth.role', { role: user.role }) };
	if (!WIJK_BOUND_ROLES.includes(user.role)) return { outcome: 'allow' };
	const inWijk = (s: ItemScope) => s.wijk !== null && user.wijken.includes(s.wijk);
	const ownDepartment = (s: ItemScope) =>
		user.role === 'medewerker' &&
		!!user.department &&
		!!s.department &&
		sameDepartment(user.department, s.department);
	if (before && !inWijk(before) && !ownDepartment(before))
		return { outcome: 'forbidden', reason: msg('errors.auth.itemOutside') };
	if (
		after &&
		!inWijk(after) &&
		!(before && ownDepartment(before) && ownDepartment(after) && after.wijk === before.wijk)
	) {
		return { outcome: 'forbidden', reason: msg('errors.auth.itemLeaves') };
	}
	return { outcome: 'allow' };
}

/** Refused by policy: 403, with the reason's code. */
export { ForbiddenError } from '../../domain/errors.ts';

/** decideItemWrite, throwing ForbiddenError when refused (inside a transaction: nothing is written). */
export function authorizeItemWrite(
	user: StaffUser,
	write: ItemWrite,
	before: ItemScope | null,
	after: ItemScope | null
): void {
	const d = decideItemWrite(user, write, before, after);
	if (d.outcome !== 'allow') throw new ForbiddenError(forbiddenReason(d));
}

/*
 * One line per route. Examples of what features add (route ids and actions are theirs):
 *   '/api/items/[id]': { PATCH: scoped(itemWijk('id'), 'beheerder', 'wijkregisseur', 'medewerker') },
 *   '/beheer/moderatie': { GET: only('beheerder', 'moderator'), actions: only('beheerder', 'moderator') },
 *   '/api/meldingen': { POST: PUBLIC },
 */
export const RULES: Record<string, Partial<Record<RuleKey, Rule>>> = {
	// Accounts (this module)
	'/login': { actions: PUBLIC },
	// Signing out needs no role: an expired session must still be able to press "Afmelden".
	'/logout': { actions: PUBLIC },
	'/beheer': { GET: STAFF },
	'/beheer/audit': { GET: only('beheerder') },
	'/beheer/gebruikers': { GET: only('beheerder'), actions: only('beheerder') },
	// Area import from a file (src/lib/server/import/area-plan.ts): replaces levels, so the beheerder only
	'/beheer/import': { GET: only('beheerder'), actions: only('beheerder') },
	// Wijkagenda (agenda): the wijkregisseur of that wijk and the beheerder
	'/beheer/agenda/[wijk]': {
		GET: scoped(paramWijk('wijk'), 'wijkregisseur', 'beheerder'),
		actions: scoped(paramWijk('wijk'), 'wijkregisseur', 'beheerder')
	},
	// Editing (src/lib/server/items/edit.ts). Only the roles here; where the item lies before and
	// after the write is decided by decideItemWrite inside the write itself, from the stored rows,
	// whatever route or body encoding the request took.
	'/api/items': { POST: itemRule('create') },
	'/api/items/[id]': { PATCH: itemRule('edit'), DELETE: itemRule('delete') },
	'/api/items/[id]/status': { POST: itemRule('status') },
	'/api/items/[id]/restore': { POST: itemRule('restore') },
	'/beheer/items': { GET: STAFF, 'POST ?/bulk': scoped(formItemsWijk, ...EDITORS) },
	'/beheer/items/nieuw': { GET: itemRule('create'), actions: itemRule('create') },
	'/beheer/items/[id]': {
		GET: STAFF,
		'POST ?/contact': scoped(itemWijk(), 'beheerder', 'moderator', 'wijkregisseur', 'medewerker'),
		'POST ?/save': itemRule('edit'),
		'POST ?/status': itemRule('status'),
		actions: itemRule('delete')
	},
	'/beheer/moderatie': {
		GET: only('beheerder', 'moderator'),
		actions: only('beheerder', 'moderator')
	},
	'/beheer/foto/[id]': { GET: only('beheerder', 'moderator') },
	// Residents (no account): submissions, the "Is het opgelost?" answer behind a tracking link
	'/api/meldingen': { POST: PUBLIC },
	'/api/initiatieven': { POST: PUBLIC },
	// Open311 GeoReport v2 POST requests: the same melding path as /api/meldingen (src/lib/server/open311)
	'/open311/v2/[file]': { POST: PUBLIC },
	'/melden': { POST: PUBLIC },
	'/voorstel': { POST: PUBLIC },
	'/volg/[token]': { 'POST ?/opgelost': PUBLIC },
	// E-mail (src/lib/server/mail): subscribe with a double opt-in, confirm, stop
	'/volgen': { POST: PUBLIC },
	'/volgen/bevestig/[token]': { POST: PUBLIC },
	'/afmelden/[token]': { POST: PUBLIC }
};

/** Which entry of a route's rules applies to a request. */
export function ruleKey(method: string, url: URL): RuleKey | null {
	const m = method === 'HEAD' ? 'GET' : method;
	if (m === 'POST') {
		const action = [...url.searchParams.keys()].find((k) => k.startsWith('/'));
		return action ? `POST ?/${action.slice(1)}` : 'POST';
	}
	return (['GET', 'PUT', 'PATCH', 'DELETE'] as string[]).includes(m) ? (m as Method) : null;
}

export function findRule(routeId: string, key: RuleKey | null, rules = RULES): Rule | undefined {
	const entry = rules[routeId];
	if (!entry || !key) return undefined;
	if (entry[key]) return entry[key];
	// A named or default form action falls back to the page's rule for all its actions.
	if (key.startsWith('POST')) return entry.actions;
	return undefined;
}

export type Decision =
	| { outcome: 'allow' }
	| { outcome: 'scope' }
	| { outcome: 'unauthenticated' }
	| { outcome: 'forbidden'; reason: Message };

/** What a refusal says: its reason, or (for anything else that is not an allow) plain "no access". */
export function forbiddenReason(d: Decision): Message {
	return d.outcome === 'forbidden' ? d.reason : msg('errors.auth.forbidden');
}

/**
 * The decision for a rule and a user, pure. 'scope' means: allowed by role, but the resource's
 * scope must be resolved and passed to decideScope.
 */
export function decide(rule: Rule | undefined, user: StaffUser | null): Decision {
	if (!rule)
		return {
			outcome: 'forbidden',
			reason: msg('errors.auth.noRule')
		};
	if (rule.allow === 'public') return { outcome: 'allow' };
	if (!user) return { outcome: 'unauthenticated' };
	if (rule.allow !== 'staff' && !rule.allow.includes(user.role)) {
		return { outcome: 'forbidden', reason: msg('errors.auth.role', { role: user.role }) };
	}
	if (rule.wijk && WIJK_BOUND_ROLES.includes(user.role)) return { outcome: 'scope' };
	return { outcome: 'allow' };
}

export function decideScope(user: StaffUser, scope: Scope | null): Decision {
	if (scope === null) return { outcome: 'allow' };
	const inside =
		scope.wijken.some((w) => user.wijken.includes(w)) ||
		(user.role === 'medewerker' &&
			!!user.department &&
			!!scope.department &&
			sameDepartment(user.department, scope.department));
	if (!inside) return { outcome: 'forbidden', reason: msg('errors.auth.outside') };
	return scope.and ? decideScope(user, scope.and) : { outcome: 'allow' };
}

function sameDepartment(a: string, b: string): boolean {
	return a.trim().localeCompare(b.trim(), 'nl', { sensitivity: 'base' }) === 0;
}
