import { describe, expect, it } from 'vitest';
import {
	hashPassword,
	randomPassword,
	verifyPassword
} from '../../src/lib/server/auth/password.ts';

describe('staff passwords (scrypt)', () => {
	it('stores scrypt$N$r$p$salt$hash and verifies only the right password', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
		expect(hash).not.toContain('correct horse');
		expect(await verifyPassword('correct horse battery', hash)).toBe(true);
		expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
		expect(await verifyPassword('', hash)).toBe(false);
	});

	it('salts: the same password hashes differently each time, and both verify', async () => {
		const [a, b] = await Promise.all([
			hashPassword('zelfde wachtwoord'),
			hashPassword('zelfde wachtwoord')
		]);
		expect(a).not.toBe(b);
		expect(await verifyPassword('zelfde wachtwoord', a)).toBe(true);
		expect(await verifyPassword('zelfde wachtwoord', b)).toBe(true);
	});

	it('treats composed and decomposed accents as the same password', async () => {
		const hash = await hashPassword('cr\u00e8me br\u00fbl\u00e9e!');
		expect(await verifyPassword('cre\u0300me bru\u0302le\u0301e!', hash)).toBe(true);
	});

	it('refuses what is not one of its hashes, and absurd cost parameters, without throwing', async () => {
		const hash = await hashPassword('geheim-wachtwoord');
		for (const bad of [
			null,
			'',
			'plaintext',
			'scrypt$16384$8$1$abc',
			hash.replace('$16384$', '$16383$'),
			hash.replace('$16384$', '$1073741824$')
		]) {
			expect(await verifyPassword('geheim-wachtwoord', bad)).toBe(false);
		}
	});

	it('makes random one-time passwords without look-alike characters', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const p = randomPassword();
			expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
			seen.add(p);
		}
		expect(seen.size).toBe(200);
	});
});
