import { describe, expect, it } from 'vitest';
import {
	CLIENT_LIMIT,
	minutesOf,
	pairDelaySeconds,
	secondsToWait,
	throttleMessage
} from '../../src/lib/server/auth/throttle.ts';

const now = new Date('2026-11-23T10:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('login throttle', () => {
	it('gives a pair three free failures, then doubles the wait from 30 seconds up to 15 minutes', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(pairDelaySeconds)).toEqual([
			0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900
		]);
	});

	it('counts the pair wait from its latest failure', () => {
		expect(secondsToWait([ago(3), ago(2)], [], now)).toBe(0);
		expect(secondsToWait([ago(3), ago(2), ago(0.25)], [], now)).toBe(15);
		expect(secondsToWait([ago(3), ago(2), ago(1)], [], now)).toBe(0);
		// Order does not matter; five failures: 2 minutes after the latest.
		expect(secondsToWait([ago(0.5), ago(9), ago(8), ago(7), ago(6)], [], now)).toBe(90);
	});

	it('blocks a client after 20 failures within 15 minutes, until the one that makes 20 ages out', () => {
		expect(CLIENT_LIMIT).toEqual({ max: 20, windowMinutes: 15 });
		const nineteen = Array.from({ length: 19 }, (_, i) => ago(i * 0.5));
		expect(secondsToWait([], nineteen, now)).toBe(0);
		expect(secondsToWait([], [...nineteen, ago(0)], now)).toBe(6 * 60);
		expect(secondsToWait([], [...nineteen, ago(-5)], now)).toBe(0);
	});

	it('says in Dutch how long to wait, in whole minutes', () => {
		expect(minutesOf(15)).toBe(1);
		expect(minutesOf(61)).toBe(2);
		expect(throttleMessage(7)).toBe(
			'Te veel mislukte pogingen. Probeer het over 7 minuten opnieuw.'
		);
		expect(throttleMessage(1)).toBe(
			'Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.'
		);
	});
});
