/** One byte range of a file, as HTTP Range asks for it; null = the whole file; 'unsatisfiable' → 416. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | 'unsatisfiable' {
	if (!header) return null;
	const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	// Multiple ranges or other units: serving the whole file is allowed and simpler.
	if (!m) return null;
	const [, a, b] = m;
	if (a === '' && b === '') return 'unsatisfiable';
	let start: number;
	let end: number;
	if (a === '') {
		const suffix = Number(b);
		if (suffix === 0) return 'unsatisfiable';
		start = Math.max(0, size - suffix);
		end = size - 1;
	} else {
		start = Number(a);
		end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
	}
	if (start >= size || end < start) return 'unsatisfiable';
	return { start, end };
}
