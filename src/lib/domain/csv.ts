/**
 * THE ONE CSV CELL WRITER: every CSV the portal writes (items, analysis tables, wijkagenda)
 * goes through csvCell/csvLine, so a text cannot become a spreadsheet formula (CSV injection).
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

/** One cell, quoted when it holds either separator, a quote, a tab or a line break. */
export function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	const s = neutralise(String(value));
	return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[], separator: CsvSeparator = ','): string {
	return cells.map(csvCell).join(separator) + '\r\n';
}
