import { describe, expect, it } from 'vitest';
import { badFormBody } from '../../src/lib/server/http/form-body.ts';

const url = new URL('http://localhost/melden');
const post = (type: string, body: string) =>
	new Request(url, { method: 'POST', headers: { 'content-type': type }, body });

describe('a form body refused before any action runs', () => {
	it("answers in the visitor's language, with the same status", async () => {
		const nl = await badFormBody(post('text/plain', 'a=1'), url, 'nl');
		const en = await badFormBody(post('text/plain', 'a=1'), url, 'en');
		expect([nl?.status, en?.status]).toEqual([415, 415]);
		expect(await nl!.text()).toBe(
			'Dit formulier kwam niet goed aan. Verstuur het opnieuw vanaf de pagina zelf.'
		);
		expect(await en!.text()).toBe(
			'This form did not arrive properly. Send it again from the page itself.'
		);
		const broken = 'multipart/form-data; boundary=x';
		const damaged = await badFormBody(post(broken, '--x\r\nnonsense'), url, 'en');
		expect(damaged?.status).toBe(400);
		expect(await damaged!.text()).toBe(
			'This form arrived damaged. Send it again from the page itself.'
		);
	});

	it('lets a urlencoded form through', async () => {
		expect(
			await badFormBody(post('application/x-www-form-urlencoded', 'a=1'), url, 'en')
		).toBeNull();
	});
});
