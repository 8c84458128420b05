import { msg } from './errors.ts';
import type { Message } from '../i18n/localize.ts';
import { STATUSES, statusDef, type Layer } from './layers.ts';

/**
 * Rules for a status change. Every change is public: it carries the text residents read in
 * the timeline (the terugkoppeling). Errors are Dutch, for CLI and API alike.
 */
export interface StatusChange {
	layer: Layer;
	from: string | null;
	to: string;
	publicText: string;
	/** The reason shown for a rejected initiative. */
	reason?: string | null;
	/** Link to the minutes of a meeting that took place. */
	reportUrl?: string | null;
}

export function acceptedStatuses(layer: Layer): string {
	return STATUSES[layer].map((s) => s.id).join(', ');
}

/** Null when the status is allowed for the layer; otherwise a message listing the allowed ones. */
export function statusError(layer: Layer, status: string): string | null {
	return statusDef(layer, status)
		? null
		: `onbekende status "${status}" voor ${layer}; toegestaan: ${acceptedStatuses(layer)}`;
}

/** Why a status change is refused, and at which form field; null when it may go ahead. */
export function statusChangeError(
	change: StatusChange
): { field: string; message: Message } | null {
	for (const status of change.from === null ? [change.to] : [change.to, change.from]) {
		if (!statusDef(change.layer, status))
			return {
				field: 'status',
				message: msg('errors.status.unknown', {
					status,
					layer: change.layer,
					allowed: acceptedStatuses(change.layer)
				})
			};
	}
	if (!change.publicText.trim())
		return { field: 'publicText', message: msg('errors.status.publicText') };
	if (rejectionError(change.layer, change.to, change.reason))
		return { field: 'reason', message: msg('errors.status.reason') };
	if (reportUrlError(change.reportUrl))
		return {
			field: 'details.reportUrl',
			message: msg('errors.status.reportUrl', { url: change.reportUrl ?? '' })
		};
	return null;
}

/** A rejected initiative must say why, publicly. */
export function rejectionError(
	layer: Layer,
	status: string,
	reason: string | null | undefined
): string | null {
	if (layer === 'initiatieven' && status === 'afgewezen' && !reason?.trim()) {
		return 'een afgewezen initiatief heeft een openbare reden van afwijzing nodig';
	}
	return null;
}

export function reportUrlError(url: string | null | undefined): string | null {
	if (!url) return null;
	return /^https?:\/\/[^\s]+$/i.test(url) ? null : `verslag-URL "${url}" is geen http(s)-adres`;
}
