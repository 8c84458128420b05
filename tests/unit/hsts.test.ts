import { describe, expect, it } from 'vitest';
import { addHsts, HSTS_VALUE, servedOverHttps } from '../../src/lib/server/http/hsts.ts';

function hsts(
	url: string,
	headers: Record<string, string>,
	origin: string | undefined
): string | null {
	const response = new Response('ok');
	addHsts(new URL(url), new Request(url, { headers }), response, origin ?? '');
	return response.headers.get('strict-transport-security');
}

describe('HSTS', () => {
	it('is sent when the request itself came over https', () => {
		expect(hsts('https://wijkkaart.example/', {}, undefined)).toBe(HSTS_VALUE);
		expect(HSTS_VALUE).toBe('max-age=31536000; includeSubDomains');
	});

	it('is sent behind a proxy saying https when ORIGIN is https', () => {
		expect(
			hsts('http://127.0.0.1:3000/', { 'x-forwarded-proto': 'https' }, 'https://wijkkaart.example')
		).toBe(HSTS_VALUE);
		expect(
			hsts(
				'http://127.0.0.1:3000/',
				{ 'x-forwarded-proto': 'HTTPS, http' },
				'https://wijkkaart.example'
			)
		).toBe(HSTS_VALUE);
	});

	it('is never sent on plain http, whatever a client claims', () => {
		expect(hsts('http://127.0.0.1:3000/', {}, 'https://wijkkaart.example')).toBeNull();
		expect(
			hsts('http://127.0.0.1:3000/', { 'x-forwarded-proto': 'https' }, 'http://wijkkaart.example')
		).toBeNull();
		expect(hsts('http://127.0.0.1:3000/', { 'x-forwarded-proto': 'https' }, undefined)).toBeNull();
		expect(
			hsts('http://127.0.0.1:3000/', { 'x-forwarded-proto': 'http' }, 'https://wijkkaart.example')
		).toBeNull();
		expect(
			servedOverHttps(
				new URL('http://x/'),
				new Headers({ 'x-forwarded-proto': 'https' }),
				'httpsevil://x'
			)
		).toBe(false);
	});
});
