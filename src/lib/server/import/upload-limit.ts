import { msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import { config } from '../config.ts';
/**
 * How large an area file the staff page accepts: WIJKKAART_IMPORT_MAX_MB (default 10). The
 * request hook refuses a larger upload from its Content-Length, before any body is read.
 */
export function importMaxBytes(): number {
	return config().areaUploadMaxBytes;
}

export function uploadTooLargeMessage(max = importMaxBytes()): Message {
	return msg('errors.import.uploadTooLarge', { mb: Math.round(max / 1024 / 1024) });
}
