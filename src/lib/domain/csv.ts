/**
 * A cell as spreadsheet programs read it safely: quoted when needed, and prefixed with ' when
 * it starts with = + - @ (or tab/CR), so a title cannot become a formula (CSV injection).
 */
export function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	let s = String(value);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
	return cells.map(csvCell).join(',') + '\r\n';
}
