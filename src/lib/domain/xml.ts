/**
 * Text as XML 1.0 admits it (§2.2 Char): controls other than tab, LF and CR, lone surrogates and
 * U+FFFE/U+FFFF are removed, so one title with a U+000B cannot make a whole feed unreadable.
 */
export function xmlChars(value: string): string {
	// eslint-disable-next-line no-control-regex
	return value.replace(
		/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
		''
	);
}

/** A value as XML: text, or child elements by name; an array repeats its element. */
export type XmlValue =
	string | number | boolean | null | undefined | { [name: string]: XmlValue | XmlValue[] };

const escapeText = (s: string) =>
	xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One element and everything under it, as XML text (no declaration). Objects become child
 * elements in their key order, arrays repeat the element, null and undefined an empty element.
 * Names are the caller's constants, never data.
 */
export function xmlElement(name: string, value: XmlValue | XmlValue[]): string {
	if (Array.isArray(value)) return value.map((v) => xmlElement(name, v)).join('');
	if (value === null || value === undefined) return `<${name}/>`;
	if (typeof value === 'object')
		return `<${name}>${Object.entries(value)
			.map(([k, v]) => xmlElement(k, v))
			.join('')}</${name}>`;
	return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** A whole XML document with its declaration. */
export function xmlDocument(root: string, value: XmlValue): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlElement(root, value)}\n`;
}
