/**
 * Text as XML 1.0 admits it (§2.2 Char): controls other than tab, LF and CR, lone surrogates and
 * U+FFFE/U+FFFF are removed, so one title with a U+000B cannot make a whole feed unreadable.
 */
export function xmlChars(value: string): string {
	// eslint-disable-next-line no-control-regex
	return value.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
