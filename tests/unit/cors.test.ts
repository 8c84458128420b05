import { describe, expect, it } from 'vitest';
import {
	addCorsHeaders,
	allowedOrigin,
	crossOriginWrite,
	preflight
} from '../../src/lib/server/http/cors.ts';
import { config } from '../../src/lib/server/config.ts';

const portal = new URL('https://wijkkaart.example/api/items');
const req = (method: string, headers: Record<string, string> = {}) =>
	new Request(portal, { method, headers });

describe('CORS rules', () => {
	it('reads WIJKKAART_CORS_ORIGINS: *, a list of origins, none; a non-origin is a Dutch error', () => {
		expect(config({}).corsOrigins).toBe('*');
		expect(
			config({ WIJKKAART_CORS_ORIGINS: ' https://a.nl, http://127.0.0.1:8080/ ' }).corsOrigins
		).toEqual(['https://a.nl', 'http://127.0.0.1:8080']);
		expect(config({ WIJKKAART_CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
		expect(() => config({ WIJKKAART_CORS_ORIGINS: 'https://a.nl/pad' })).toThrow(/geen herkomst/);
		expect(() => config({ WIJKKAART_CORS_ORIGINS: 'a.nl' })).toThrow(/geen herkomst/);
	});

	it('answers a listed origin by name with Vary, an unlisted one not at all, never with credentials', () => {
		expect(allowedOrigin('https://a.nl', '*')).toBe('*');
		expect(allowedOrigin('https://a.nl', ['https://a.nl'])).toBe('https://a.nl');
		expect(allowedOrigin('https://b.nl', ['https://a.nl'])).toBeNull();
		expect(allowedOrigin(null, '*')).toBeNull();
		const listed = addCorsHeaders(
			req('GET', { origin: 'https://a.nl' }),
			portal,
			new Response('{}'),
			['https://a.nl']
		);
		expect(listed.headers.get('access-control-allow-origin')).toBe('https://a.nl');
		expect(listed.headers.get('vary')).toMatch(/Origin/);
		expect(listed.headers.get('access-control-allow-credentials')).toBeNull();
		const other = addCorsHeaders(
			req('GET', { origin: 'https://b.nl' }),
			portal,
			new Response('{}'),
			['https://a.nl']
		);
		expect(other.headers.get('access-control-allow-origin')).toBeNull();
		const staff = addCorsHeaders(
			new Request('https://wijkkaart.example/beheer', { headers: { origin: 'https://a.nl' } }),
			new URL('https://wijkkaart.example/beheer'),
			new Response(''),
			'*'
		);
		expect(staff.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('preflights only reads; writes from elsewhere are refused, from the portal itself left alone', () => {
		const pre = (method: string, origin = 'https://a.nl') =>
			preflight(req('OPTIONS', { origin, 'access-control-request-method': method }), portal, '*');
		expect(pre('GET')?.status).toBe(204);
		expect(pre('POST')?.status).toBe(403);
		expect(pre('GET', 'https://wijkkaart.example')).toBeNull();
		expect(
			preflight(
				req('OPTIONS', { origin: 'https://b.nl', 'access-control-request-method': 'GET' }),
				portal,
				['https://a.nl']
			)?.status
		).toBe(403);
		expect(crossOriginWrite(req('POST', { origin: 'https://a.nl' }), portal)?.status).toBe(403);
		expect(
			crossOriginWrite(req('POST', { origin: 'https://wijkkaart.example' }), portal)
		).toBeNull();
		expect(crossOriginWrite(req('GET', { origin: 'https://a.nl' }), portal)).toBeNull();
	});
});
