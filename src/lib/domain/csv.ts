/**
 * THE ONE CSV CELL WRITER: every CSV the portal writes (items, analysis tables, wijkagenda) goes
 * through `cell()`, so quoting, formula neutralisation, booleans and decimals are the same everywhere.
 *
 * A spreadsheet starts a formula at = + - @ (and treats a leading tab or CR as one too). Which
 * separator it splits on depends on the locale: Dutch Excel splits on ';', others on ','. A file
 * written with one separator and opened with the other is cut at every occurrence of the other
 * character, also inside our quoted cells, and each piece is read as a cell of its own. So a
 * formula character is neutralised (a ' put before it, which spreadsheets show as text) not only
 * at the start of the cell but wherever a piece can start: after , ; CR or LF, behind any spaces
 * or quotes. Numbers are written as they are: a negative number stays a number.
 */
export type CsvSeparator = ',' | ';';

/** Separator and decimal mark: `,` and `.` by default; `;` and `,` as Excel with Dutch settings reads it. */
export interface CsvDialect {
	sep: CsvSeparator;
	decimal: '.' | ',';
}

export const CSV_DEFAULT: CsvDialect = { sep: ',', decimal: '.' };
export const CSV_EXCEL_NL: CsvDialect = { sep: ';', decimal: ',' };

/** Dutch, like the headers: a reader sees the same yes/no in every export. */
export const CSV_TRUE = 'ja';
export const CSV_FALSE = 'nee';

/** The byte-order mark Excel needs to read UTF-8; other readers skip it. */
export const CSV_BOM = '\uFEFF';

/** The dialect a `sep` query parameter asks for; null when it names none. */
export function csvDialect(sep: string | null): CsvDialect | null {
	if (sep === null || sep === '' || sep === ',') return CSV_DEFAULT;
	if (sep === ';') return CSV_EXCEL_NL;
	return null;
}

const PIECE_START = /(^|[,;\r\n])([ \t\u00a0"']*)(?=[=+\-@])/g;
const LEADING_CONTROL = /^'*[\t\r]/;

/** The text with every formula start neutralised; fromCsvCell gives the text back exactly. */
export function neutralise(text: string): string {
	const s = text.replace(PIECE_START, "$1$2'");
	return LEADING_CONTROL.test(s) ? `'${s}` : s;
}

/** Undoes neutralise: what an importer of our own CSV (the wijkagenda) calls on each cell. */
export function fromCsvCell(cell: string): string {
	const s = /^'('*[\t\r])/.test(cell) ? cell.slice(1) : cell;
	return s.replace(/(^|[,;\r\n])([ \t\u00a0"']*)'(?=[=+\-@])/g, '$1$2');
}

/**
 * One cell. Numbers are written bare (with the dialect's decimal mark), so readers type them as
 * numbers; every text is quoted, so a reader that honours quotes keeps a code like "0311" as text,
 * and no text can start a formula (see above). Booleans are ja/nee, dates ISO 8601.
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
	const s = neutralise(value instanceof Date ? value.toISOString() : String(value));
	return `"${s.replace(/"/g, '""')}"`;
}

/** The former name of cell() in the default dialect. */
export const csvCell = (value: unknown): string => cell(value);

export function csvLine(
	cells: unknown[],
	dialect: CsvDialect | CsvSeparator = CSV_DEFAULT
): string {
	const d = typeof dialect === 'string' ? { ...CSV_DEFAULT, sep: dialect } : dialect;
	return cells.map((c) => cell(c, d)).join(d.sep) + '\r\n';
}
