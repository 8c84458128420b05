import { msg } from '../../domain/errors.ts';
import { ImportError } from './import-error.ts';
/**
 * A small, strict CSV reader for spreadsheet exports: UTF-8 with or without BOM, `;`, `,` or
 * tab as delimiter (detected from the header line), quoted fields with "" escapes and line
 * breaks inside quotes.
 */
export interface CsvTable {
	header: string[];
	/** Each row as header → cell; `line` is the 1-based line the row starts on. */
	rows: { line: number; cells: Record<string, string> }[];
	delimiter: string;
}

export function parseCsv(text: string): CsvTable {
	const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const delimiter = detectDelimiter(src);
	const records = splitRecords(src, delimiter);
	while (records.length && records[records.length - 1].fields.every((f) => f === '')) records.pop();
	if (records.length === 0) throw new ImportError(msg('errors.import.csvEmpty'));
	const header = records[0].fields.map((h) => h.trim());
	if (header.some((h) => h === '')) throw new ImportError(msg('errors.import.csvNoName'));
	const dup = header.find((h, i) => header.indexOf(h) !== i);
	if (dup) throw new ImportError(msg('errors.import.csvTwice', { column: dup }));
	const rows = records.slice(1).flatMap(({ line, fields }) => {
		if (fields.length === 1 && fields[0] === '') return [];
		if (fields.length !== header.length) {
			throw new ImportError(
				msg('errors.import.csvFields', { line, n: fields.length, header: header.length })
			);
		}
		return [{ line, cells: Object.fromEntries(header.map((h, i) => [h, fields[i]])) }];
	});
	return { header, rows, delimiter };
}

/** The candidate that occurs most often outside quotes in the first line. */
function detectDelimiter(text: string): string {
	let inQuotes = false;
	const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
	for (const ch of text) {
		if (ch === '"') inQuotes = !inQuotes;
		else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
		else if (!inQuotes && ch in counts) counts[ch]++;
	}
	const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
	return n > 0 ? best : ',';
}

function splitRecords(text: string, delimiter: string): { line: number; fields: string[] }[] {
	const out: { line: number; fields: string[] }[] = [];
	let fields: string[] = [];
	let field = '';
	let inQuotes = false;
	let line = 1;
	let startLine = 1;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (inQuotes) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') inQuotes = false;
			else {
				if (ch === '\n') line++;
				field += ch;
			}
		} else if (ch === '"' && field === '') inQuotes = true;
		else if (ch === delimiter) {
			fields.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			fields.push(field);
			out.push({ line: startLine, fields });
			fields = [];
			field = '';
			startLine = ++line;
		} else field += ch;
	}
	if (inQuotes) throw new ImportError(msg('errors.import.csvQuote', { line: startLine }));
	if (field !== '' || fields.length) {
		fields.push(field);
		out.push({ line: startLine, fields });
	}
	return out;
}
