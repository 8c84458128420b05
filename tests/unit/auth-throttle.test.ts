import { describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, CLIENT_LIMIT, minutesToWait, throttleMessage } from '../../src/lib/server/auth/throttle.ts';

const now = new Date('2026-11-23T10:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('login throttle window', () => {
	it('lets four failures through and blocks the fifth within 15 minutes', () => {
		expect(ACCOUNT_LIMIT).toEqual({ max: 5, windowMinutes: 15 });
		expect(minutesToWait([ago(1), ago(2), ago(3), ago(4)], now, ACCOUNT_LIMIT)).toBe(0);
		// Oldest failure 4 minutes ago leaves the window in 11 minutes.
		expect(minutesToWait([ago(0), ago(1), ago(2), ago(3), ago(4)], now, ACCOUNT_LIMIT)).toBe(11);
	});

	it('counts only failures inside the window', () => {
		expect(minutesToWait([ago(15), ago(16), ago(20), ago(1), ago(2)], now, ACCOUNT_LIMIT)).toBe(0);
		expect(minutesToWait([ago(14.5), ago(3), ago(2), ago(1), ago(0.5)], now, ACCOUNT_LIMIT)).toBe(1);
	});

	it('waits until the failure that makes the limit leaves the window, in whole minutes', () => {
		// Seven failures: the block lifts when the third-oldest (10 min ago) ages out, in 5 min.
		const seven = [ago(12), ago(11), ago(10), ago(3), ago(2), ago(1), ago(0)];
		expect(minutesToWait(seven, now, ACCOUNT_LIMIT)).toBe(5);
		expect(minutesToWait([ago(10.25), ago(3), ago(2), ago(1), ago(0)], now, ACCOUNT_LIMIT)).toBe(5);
	});

	it('is order-independent and ignores failures in the future', () => {
		const f = [ago(0), ago(4), ago(2), ago(3), ago(1)];
		expect(minutesToWait(f, now, ACCOUNT_LIMIT)).toBe(minutesToWait([...f].reverse(), now, ACCOUNT_LIMIT));
		expect(minutesToWait([ago(-5), ago(1), ago(2), ago(3), ago(4)], now, ACCOUNT_LIMIT)).toBe(0);
	});

	it('allows 20 failures per client before blocking', () => {
		const nineteen = Array.from({ length: 19 }, (_, i) => ago(i * 0.5));
		expect(minutesToWait(nineteen, now, CLIENT_LIMIT)).toBe(0);
		expect(minutesToWait([...nineteen, ago(0)], now, CLIENT_LIMIT)).toBe(6);
	});

	it('says in Dutch how long to wait', () => {
		expect(throttleMessage(7)).toBe('Te veel mislukte pogingen. Probeer het over 7 minuten opnieuw.');
		expect(throttleMessage(1)).toBe('Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.');
	});
});
