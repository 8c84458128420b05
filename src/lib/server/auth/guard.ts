import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { stringify } from 'devalue';
import type { Actor } from '../audit.ts';
import { AppError, ForbiddenError, msg } from '../../domain/errors.ts';
import { errorResponse, langOf } from '../http/errors.ts';
import {
	decide,
	decideScope,
	findRule,
	forbiddenReason,
	ruleKey,
	RULES,
	type Decision
} from './policy.ts';
import { clearSessionCookie, SESSION_COOKIE, sessionUser } from './sessions.ts';

/**
 * THE ONE PLACE WHERE AUTHORIZATION IS DECIDED. hooks.server.ts calls `guard` for every
 * request, before any load, action or endpoint runs. It signs the user in from the session
 * cookie (locals.user), then checks every non-GET request and every /beheer page against
 * RULES in policy.ts: no rule is 403 (deny by default); anonymous where staff is needed is
 * 401 JSON under /api and a redirect to /login elsewhere; the wrong role or wijk is 403.
 * SvelteKit's own origin check (CSRF) stays on and runs before this.
 */
export async function guard(event: RequestEvent): Promise<Response | null> {
	const db = event.locals.db;
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = await sessionUser(db, token);
	// An ended or expired session: drop the cookie so the browser stops sending it.
	if (token && !event.locals.user) clearSessionCookie(event.cookies, event.url);

	const routeId = event.route.id;
	// No route: nothing runs, and SvelteKit answers 404/405 itself.
	if (!routeId) return null;
	const key = ruleKey(event.request.method, event.url);
	const isRead = key === 'GET';
	// By address, so a staff page inside a route group is a staff page too.
	const staffPage = event.url.pathname === '/beheer' || event.url.pathname.startsWith('/beheer/');
	if (isRead && !staffPage && !RULES[routeId]?.GET) return null;

	const rule = findRule(routeId, key);
	let decision: Decision = decide(rule, event.locals.user);
	if (decision.outcome === 'scope')
		decision = decideScope(event.locals.user!, await rule!.wijk!(event, db));
	if (decision.outcome === 'allow') return null;
	if (decision.outcome === 'unauthenticated') {
		if (isApi(event)) return errorResponse(notSignedIn(), langOf(event));
		const login = `/login?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`;
		// An enhanced form follows a redirect only when it comes as an action result.
		if (isEnhancedAction(event))
			return actionResult({ type: 'redirect', status: 303, location: login }, 200);
		redirect(303, login);
	}
	const refusal = new ForbiddenError(forbiddenReason(decision));
	if (isApi(event)) return errorResponse(refusal, langOf(event));
	const message = refusal.messageIn(langOf(event));
	// An enhanced form (use:enhance) reads an action result: answer as the action's failure, so
	// the page shows the message at the form that was refused instead of nothing.
	if (isEnhancedAction(event)) {
		const form = key?.startsWith('POST ?/') ? key.slice('POST ?/'.length) : 'default';
		return actionResult(
			{
				type: 'failure',
				status: 403,
				data: stringify({ form, errors: { _: message }, refused: true })
			},
			403
		);
	}
	error(403, message);
}

const notSignedIn = () => new AppError(msg('errors.auth.signedOut'), { status: 401 });

const isEnhancedAction = (event: RequestEvent) =>
	event.request.method === 'POST' && event.request.headers.get('x-sveltekit-action') === 'true';

function actionResult(result: Record<string, unknown>, status: number): Response {
	return new Response(JSON.stringify(result), {
		status,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
	});
}

function isApi(event: RequestEvent): boolean {
	return event.url.pathname === '/api' || event.url.pathname.startsWith('/api/');
}

/**
 * Who writes, for recordAudit in a staff route: the guard has already admitted the request,
 * so a missing user here is a route without a staff rule, and refused.
 */
export function staffActor(event: RequestEvent): { actor: Actor; client: string } {
	const user = event.locals.user;
	if (!user) error(401, notSignedIn().messageIn(langOf(event)));
	return { actor: { kind: 'user', user }, client: clientOf(event) };
}

/** How the audit trail and the throttle name the client. */
export function clientOf(event: RequestEvent): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'onbekend';
	}
}
