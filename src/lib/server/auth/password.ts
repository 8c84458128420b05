import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';

/**
 * Staff passwords, hashed with scrypt from node:crypto and stored as
 * `scrypt$N$r$p$salt$hash` (salt and hash base64) so the cost can be raised later while old
 * hashes keep verifying.
 */
const COST = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scrypt(
			password.normalize('NFC'),
			salt,
			KEY_BYTES,
			{ ...opts, maxmem: 256 * opts.N! * opts.r! * opts.p! },
			(err, key) => (err ? reject(err) : resolve(key))
		)
	);
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, COST);
	return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** False for a wrong password and for anything that is not a hash we wrote (never throws). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
	const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
		stored ?? ''
	);
	if (!m) return false;
	const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
	// Refuse absurd parameters rather than let a stored value tie up the server.
	if (N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16)
		return false;
	const expected = Buffer.from(m[5], 'base64');
	if (expected.length < 16) return false;
	const key = await derive(password, Buffer.from(m[4], 'base64'), { N, r, p });
	return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A one-time password to hand over once: 20 characters without look-alikes (l/1, O/0). */
export function randomPassword(length = 20): string {
	const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const out: string[] = [];
	// Rejection sampling keeps every character equally likely.
	while (out.length < length) {
		for (const b of randomBytes(length * 2)) {
			if (b < 256 - (256 % alphabet.length) && out.length < length)
				out.push(alphabet[b % alphabet.length]);
		}
	}
	return out.join('');
}

/** Dutch reason a chosen password is refused, or null. */
export function passwordProblem(password: string): Message | null {
	if (password.length < MIN_PASSWORD_LENGTH)
		return msg('errors.user.passwordShort', { min: MIN_PASSWORD_LENGTH });
	if (password.length > 1024) return msg('errors.user.passwordLong');
	return null;
}
