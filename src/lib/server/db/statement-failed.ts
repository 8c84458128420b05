import nl from '../../i18n/store.nl.json';
import en from '../../i18n/store.en.json';
import type { StatementPurpose } from './types.ts';

const texts = { nl, en } as const;
type Key = keyof typeof nl;

function text(lang: 'nl' | 'en', key: Key, vars: Record<string, string> = {}): string {
	return texts[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

/** The start of a statement, for errors about statements that carry no purpose. */
function gist(statement: string): string {
	const flat = statement.replace(/\s+/g, ' ').trim();
	return flat.length > 70 ? `${flat.slice(0, 70)}…` : flat;
}

/**
 * A statement the embedded store did not complete but answered as if it had: PGlite drops a
 * GEOS exception and returns an empty result. Thrown so that no caller mistakes that for
 * "nothing there". `code` is stable; the message is Dutch, `messageIn('en')` English.
 */
export class StatementFailed extends Error {
	readonly code = 'store.statement_failed';

	constructor(
		readonly purpose: StatementPurpose | null,
		readonly statement: string,
		/** The warnings PGlite left behind, for the log. */
		readonly notices: string[]
	) {
		super('');
		this.message = this.messageIn('nl');
	}

	purposeIn(lang: 'nl' | 'en'): string {
		return this.purpose
			? text(lang, `store.purpose.${this.purpose}`)
			: text(lang, 'store.purpose.statement', { statement: gist(this.statement) });
	}

	messageIn(lang: 'nl' | 'en'): string {
		return text(lang, 'store.failed', { purpose: this.purposeIn(lang) });
	}
}

/** The store would answer overlay errors with empty results: it must not start. */
export class SelfCheckFailed extends Error {
	readonly code = 'store.self_check_failed';

	constructor(options?: ErrorOptions) {
		super(text('nl', 'store.selfCheck'), options);
	}

	messageIn(lang: 'nl' | 'en'): string {
		return text(lang, 'store.selfCheck');
	}
}
