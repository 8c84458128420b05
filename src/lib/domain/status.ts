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

export function statusChangeError(change: StatusChange): string | null {
	const bad = statusError(change.layer, change.to);
	if (bad) return bad;
	if (change.from !== null) {
		const badFrom = statusError(change.layer, change.from);
		if (badFrom) return badFrom;
	}
	if (!change.publicText.trim()) return 'een statuswijziging heeft een openbare toelichting nodig';
	return rejectionError(change.layer, change.to, change.reason) ?? reportUrlError(change.reportUrl);
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
