/**
 * The JS types both stores return, registered in both adapters (pglite.ts, postgres.ts) so code
 * never has to ask which store answered:
 * - bigint (int8, ids and sums): a number, exact up to 2^53 (ids never get near); beyond that the
 *   digits as a string, never a silently rounded number. node-postgres gives a string always,
 *   PGlite a BigInt beyond 2^53, which JSON cannot even write.
 * - numeric: a number (sums, rates and averages are for display, not money).
 * - date: the calendar day 'YYYY-MM-DD'. A Date would be midnight in the server's time zone,
 *   another day in UTC.
 * - timestamptz stays a Date in both (the drivers agree already): one instant, written out with
 *   toISOString() wherever it leaves the server, so every answer has one format.
 */
export const INT8 = 20;
export const NUMERIC = 1700;
export const DATE = 1082;

export function parseInt8(text: string): number | string {
	const n = Number(text);
	return Number.isSafeInteger(n) ? n : text;
}

export const TYPE_PARSERS: Record<number, (text: string) => unknown> = {
	[INT8]: parseInt8,
	[NUMERIC]: Number,
	[DATE]: (text) => text
};
