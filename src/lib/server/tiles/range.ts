/**
 * How to answer a GET or HEAD for a static file with HTTP Range and revalidation
 * (RFC 9110 §13.2.2 and §14). Pure: the route does the file reading. MapLibre's pmtiles
 * reader asks for one byte range at a time and refuses a 200 that is longer than it asked for.
 */

export interface FileVersion {
	size: number;
	mtimeMs: number;
}

export interface RequestConditions {
	range: string | null;
	ifNoneMatch: string | null;
	ifModifiedSince: string | null;
	ifRange: string | null;
}

export interface ResponsePlan {
	status: 200 | 206 | 304 | 416;
	/** First and last byte to send, inclusive; only for 200 and 206. */
	start: number;
	end: number;
	headers: Record<string, string>;
}

/** Strong, from size and modification time: a rebuilt archive gets a new one (rename = new mtime). */
export function etagOf(f: FileVersion): string {
	return `"${f.size.toString(16)}-${Math.floor(f.mtimeMs).toString(16)}"`;
}

/** One byte range of a file; null = the whole file; 'unsatisfiable' → 416. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | 'unsatisfiable' {
	if (!header) return null;
	const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
	// Several ranges or another unit: the whole file is an allowed answer, and the only reader
	// (pmtiles) never asks for those.
	if (!m) return null;
	const [, a, b] = m;
	// RFC 9110 §14.1.1: a syntactically invalid range set is ignored, not refused.
	if (a === '' && b === '') return null;
	let start: number;
	let end: number;
	if (a === '') {
		// bytes=-N: the last N bytes.
		const suffix = Number(b);
		if (suffix === 0) return 'unsatisfiable';
		start = Math.max(0, size - suffix);
		end = size - 1;
	} else {
		start = Number(a);
		end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
		if (b !== '' && Number(b) < start) return null;
	}
	if (start >= size) return 'unsatisfiable';
	return { start, end };
}

function etagMatches(list: string, etag: string): boolean {
	if (list.trim() === '*') return true;
	// If-None-Match compares weakly: W/"x" matches "x".
	return list.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function planResponse(req: RequestConditions, file: FileVersion): ResponsePlan {
	const etag = etagOf(file);
	const lastModified = new Date(Math.floor(file.mtimeMs / 1000) * 1000).toUTCString();
	const headers: Record<string, string> = {
		'accept-ranges': 'bytes',
		etag,
		'last-modified': lastModified,
		// Revalidate every time: a re-import must show at once, and the ETag makes that cheap.
		'cache-control': 'no-cache'
	};
	const whole: ResponsePlan = { status: 200, start: 0, end: file.size - 1, headers };

	if (req.ifNoneMatch !== null) {
		if (etagMatches(req.ifNoneMatch, etag)) return { ...whole, status: 304 };
	} else if (req.ifModifiedSince !== null) {
		const since = Date.parse(req.ifModifiedSince);
		if (!Number.isNaN(since) && Math.floor(file.mtimeMs / 1000) * 1000 <= since) return { ...whole, status: 304 };
	}
	// If-Range: send the part only if the client's copy is this very version, else all of it.
	if (req.ifRange !== null && req.ifRange.trim() !== etag && req.ifRange.trim() !== lastModified) return whole;

	const range = parseRange(req.range, file.size);
	if (range === null) return whole;
	if (range === 'unsatisfiable') {
		return { status: 416, start: 0, end: -1, headers: { ...headers, 'content-range': `bytes */${file.size}` } };
	}
	return {
		status: 206,
		start: range.start,
		end: range.end,
		headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${file.size}` }
	};
}
