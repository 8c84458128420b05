/**
 * The one home of CSV cells: every CSV the portal writes (items, analysis tables, wijkagenda)
 * goes through `cell()`, so quoting, formula neutralisation, booleans and decimals are the same
 * everywhere.
 */

/** Separator and decimal mark: `,` and `.` by default; `;` and `,` as Excel with Dutch settings reads it. */
export interface CsvDialect {
	sep: ',' | ';';
	decimal: '.' | ',';
}

export const CSV_DEFAULT: CsvDialect = { sep: ',', decimal: '.' };
export const CSV_EXCEL_NL: CsvDialect = { sep: ';', decimal: ',' };

/** Dutch, like the headers: a reader sees the same yes/no in every export. */
export const CSV_TRUE = 'ja';
export const CSV_FALSE = 'nee';

/** The dialect a `sep` query parameter asks for; null when it names none. */
export function csvDialect(sep: string | null): CsvDialect | null {
	if (sep === null || sep === '' || sep === ',') return CSV_DEFAULT;
	if (sep === ';') return CSV_EXCEL_NL;
	return null;
}

/**
 * One cell. Numbers are written bare (with the dialect's decimal mark), so readers type them as
 * numbers; every text is quoted, so a reader that honours quotes keeps a code like "0311" as text,
 * and a text that starts with = + - @ (or tab/CR) gets a leading ' so it cannot become a formula
 * (CSV injection). Booleans are ja/nee, dates ISO 8601.
 */
export function cell(value: unknown, dialect: CsvDialect = CSV_DEFAULT): string {
	// Empty is quoted too: only numbers are bare, as Python's csv.QUOTE_NONNUMERIC reads a file.
	if (value === null || value === undefined) return '""';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return '';
		const s = String(value);
		return dialect.decimal === ',' ? s.replace('.', ',') : s;
	}
	if (typeof value === 'boolean') return `"${value ? CSV_TRUE : CSV_FALSE}"`;
	let s = value instanceof Date ? value.toISOString() : String(value);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return `"${s.replace(/"/g, '""')}"`;
}

/** @deprecated name kept for callers of the former csvCell; it is cell(). */
export const csvCell = (value: unknown): string => cell(value);

export function csvLine(cells: unknown[], dialect: CsvDialect = CSV_DEFAULT): string {
	return cells.map((c) => cell(c, dialect)).join(dialect.sep) + '\r\n';
}

/** The byte-order mark Excel needs to read UTF-8; other readers skip it. */
export const CSV_BOM = '\uFEFF';
