/** Percentile by nearest rank over a sample of durations in ms. */
export function percentile(samples: number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

export interface Timing {
	p50: number;
	p95: number;
}

export async function timeMany(reps: number, fn: (i: number) => Promise<unknown>): Promise<Timing> {
	const samples: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t = performance.now();
		await fn(i);
		samples.push(performance.now() - t);
	}
	return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) };
}

export const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
