import { describe, expect, it } from 'vitest';
import {
	decide,
	decideScope,
	findRule,
	only,
	PUBLIC,
	ruleKey,
	RULES,
	scoped,
	STAFF,
	type Rule,
	type Scope
} from '../../src/lib/server/auth/policy.ts';
import type { Role, StaffUser } from '../../src/lib/domain/staff.ts';

const user = (role: Role, wijken: string[] = [], department: string | null = null): StaffUser => ({
	id: 1,
	email: `${role}@gemeente.nl`,
	name: role,
	role,
	department,
	wijken
});
const anyScope = async (): Promise<Scope | null> => ({ wijken: [] });
const u = (path: string) => new URL(`http://x${path}`);

describe('policy: which rule applies', () => {
	const rules: Record<string, Partial<Record<string, Rule>>> = {
		'/a': { actions: STAFF, 'POST ?/approve': only('moderator') },
		'/b': { POST: PUBLIC, DELETE: only('beheerder') }
	};
	it('maps methods and form actions to keys', () => {
		expect(ruleKey('HEAD', u('/x'))).toBe('GET');
		expect(ruleKey('POST', u('/x?/approve'))).toBe('POST ?/approve');
		expect(ruleKey('POST', u('/x?/approve&page=2'))).toBe('POST ?/approve');
		expect(ruleKey('POST', u('/x'))).toBe('POST');
		expect(ruleKey('PATCH', u('/x'))).toBe('PATCH');
		expect(ruleKey('OPTIONS', u('/x'))).toBeNull();
	});
	it('prefers the named action, falls back to the page rule for other actions, and finds nothing else', () => {
		expect(findRule('/a', 'POST ?/approve', rules)).toEqual(only('moderator'));
		expect(findRule('/a', 'POST ?/reject', rules)).toBe(STAFF);
		expect(findRule('/a', 'POST', rules)).toBe(STAFF);
		expect(findRule('/a', 'DELETE', rules)).toBeUndefined();
		expect(findRule('/b', 'PUT', rules)).toBeUndefined();
		expect(findRule('/nieuw', 'POST', rules)).toBeUndefined();
		expect(findRule('/b', null, rules)).toBeUndefined();
	});
});

describe('policy: decisions', () => {
	it('denies by default: a route without a rule is forbidden, even to a beheerder', () => {
		expect(decide(undefined, user('beheerder')).outcome).toBe('forbidden');
		expect(decide(undefined, null).outcome).toBe('forbidden');
	});
	it('public admits anyone; staff admits every role but not the anonymous', () => {
		expect(decide(PUBLIC, null).outcome).toBe('allow');
		expect(decide(STAFF, null).outcome).toBe('unauthenticated');
		for (const r of ['beheerder', 'wijkregisseur', 'medewerker', 'moderator'] as const)
			expect(decide(STAFF, user(r)).outcome).toBe('allow');
	});
	it('a role list admits exactly those roles', () => {
		const rule = only('beheerder', 'moderator');
		expect(decide(rule, user('moderator')).outcome).toBe('allow');
		expect(decide(rule, user('beheerder')).outcome).toBe('allow');
		expect(decide(rule, user('wijkregisseur', ['W1'])).outcome).toBe('forbidden');
		expect(decide(rule, user('medewerker')).outcome).toBe('forbidden');
		expect(decide(rule, null).outcome).toBe('unauthenticated');
	});
	it('asks for the resource scope only for roles bound to wijken', () => {
		const rule = scoped(anyScope, 'beheerder', 'wijkregisseur', 'medewerker');
		expect(decide(rule, user('beheerder')).outcome).toBe('allow');
		expect(decide(rule, user('wijkregisseur', ['W1'])).outcome).toBe('scope');
		expect(decide(rule, user('medewerker', ['W1'])).outcome).toBe('scope');
		expect(decide(rule, user('moderator')).outcome).toBe('forbidden');
	});
	it('scope: one shared wijk suffices; a medewerker may also act for their own department', () => {
		expect(decideScope(user('wijkregisseur', ['W1', 'W2']), { wijken: ['W2'] }).outcome).toBe(
			'allow'
		);
		expect(decideScope(user('wijkregisseur', ['W1']), { wijken: ['W3'] }).outcome).toBe(
			'forbidden'
		);
		expect(decideScope(user('wijkregisseur', []), { wijken: ['W3'] }).outcome).toBe('forbidden');
		expect(
			decideScope(user('wijkregisseur', ['W1']), { wijken: [], department: 'Stadsbeheer' }).outcome
		).toBe('forbidden');
		expect(
			decideScope(user('medewerker', [], 'Stadsbeheer'), {
				wijken: ['W3'],
				department: 'stadsbeheer '
			}).outcome
		).toBe('allow');
		expect(
			decideScope(user('medewerker', [], 'Stadsbeheer'), {
				wijken: ['W3'],
				department: 'Mobiliteit'
			}).outcome
		).toBe('forbidden');
		expect(
			decideScope(user('wijkregisseur', ['W1'], 'Stadsbeheer'), {
				wijken: ['W3'],
				department: 'Stadsbeheer'
			}).outcome
		).toBe('forbidden');
		// No such resource: the handler answers 404 and writes nothing.
		expect(decideScope(user('medewerker', ['W1']), null).outcome).toBe('allow');
	});
	it('the table itself: /beheer is staff-only and the audit trail beheerder-only', () => {
		expect(decide(findRule('/beheer', 'GET'), null).outcome).toBe('unauthenticated');
		expect(decide(findRule('/beheer', 'GET'), user('moderator')).outcome).toBe('allow');
		expect(decide(findRule('/beheer/audit', 'GET'), user('wijkregisseur', ['W1'])).outcome).toBe(
			'forbidden'
		);
		expect(decide(findRule('/beheer/audit', 'GET'), user('beheerder')).outcome).toBe('allow');
		expect(decide(findRule('/login', 'POST'), null).outcome).toBe('allow');
		expect(Object.keys(RULES).every((k) => k.startsWith('/'))).toBe(true);
	});
});
