import { messageText, type Lang, type Message, type MessageParams } from '../i18n/localize.ts';

export interface AppErrorInit {
	/** The HTTP status the error answers with (400 unless said otherwise). */
	status?: number;
	/** The form field or API parameter it is about, so a form shows it beside that field. */
	field?: string;
	cause?: unknown;
}

/**
 * An error that knows how to answer: its status, the field it concerns and a stable code with
 * params, whose text (nl/en) lives in src/lib/i18n/errors.*.json. `message` is the Dutch text,
 * for logs and scripts; nothing reads it to decide anything. A plain string instead of a
 * Message is a text without a code (not yet in the catalogue): Dutch in every language.
 */
export class AppError extends Error {
	readonly status: number;
	readonly field: string | undefined;
	readonly code: string | undefined;
	readonly params: MessageParams;

	constructor(text: string | Message, init: AppErrorInit = {}) {
		super(
			typeof text === 'string' ? text : messageText('nl', text.code, text.params),
			init.cause === undefined ? undefined : { cause: init.cause }
		);
		this.name = new.target.name;
		this.status = init.status ?? 400;
		this.field = init.field;
		this.code = typeof text === 'string' ? undefined : text.code;
		this.params = typeof text === 'string' ? {} : (text.params ?? {});
	}

	/** The text for a resident or client in `lang`. */
	messageIn(lang: Lang): string {
		return this.code ? messageText(lang, this.code, this.params) : this.message;
	}
}

/** Shorthand for a Message. */
export const msg = (code: string, params?: MessageParams): Message => ({ code, params });

/** Field → its message: a Message from the catalogue or (not yet converted) a Dutch text. */
export type FieldMessages = Record<string, string | Message>;
export type FieldErrors = Record<string, string>;

/**
 * Input refused field by field (400): each message belongs at its field. `fields` is Dutch,
 * `fieldsIn(lang)` in the asked language; `field` is the first one.
 */
export class ValidationError extends AppError {
	readonly messages: FieldMessages;

	constructor(messages: FieldMessages) {
		const texts = Object.values(messages).map((m) =>
			typeof m === 'string' ? m : messageText('nl', m.code, m.params)
		);
		super(texts.join('; '), { status: 400, field: Object.keys(messages)[0] });
		this.messages = messages;
	}

	get fields(): FieldErrors {
		return this.fieldsIn('nl');
	}

	fieldsIn(lang: Lang): FieldErrors {
		const out: FieldErrors = {};
		for (const [k, m] of Object.entries(this.messages))
			out[k] = typeof m === 'string' ? m : messageText(lang, m.code, m.params);
		return out;
	}

	override messageIn(lang: Lang): string {
		return Object.values(this.fieldsIn(lang)).join('; ');
	}
}

/** Something asked for does not exist (404). */
export class NotFoundError extends AppError {
	constructor(text: string | Message, init: AppErrorInit = {}) {
		super(text, { status: 404, ...init });
	}
}

/** Refused by policy (403). */
export class ForbiddenError extends AppError {
	constructor(text: string | Message, init: AppErrorInit = {}) {
		super(text, { status: 403, ...init });
	}
}

/** A caught error as a param of another message: its code if it has one, else its (Dutch) text. */
export function reasonOf(err: unknown): string | Message {
	if (err instanceof AppError && err.code) return msg(err.code, err.params);
	return err instanceof Error ? err.message : String(err);
}
