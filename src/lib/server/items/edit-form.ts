import { ValidationError } from '../../domain/item-edit.ts';
import { msg } from '../../domain/errors.ts';
import { DETAIL_FIELDS } from '../../domain/items.ts';
import type { Layer } from '../../domain/layers.ts';
import { parseLocalDateTime } from '../../domain/local-time.ts';
import { looksLikeRd, rdToWgs84 } from '../../geo/rd.ts';
import type { StaffItem } from './staff-read.ts';

/**
 * Reads the staff item form (which works without JavaScript) into the same object the JSON
 * API takes. The location comes from typed coordinates when given (the keyboard way: latitude
 * and longitude, or RD x/y), else from the shape drawn on the map.
 */
export interface FormItem {
	raw: Record<string, unknown>;
	/** Everything typed, to put back in the form when saving fails. */
	values: Record<string, string>;
}

const num = (s: string) => Number(s.trim().replace(',', '.'));

/** The location typed or drawn in the form, as GeoJSON (unchecked), or undefined when none. */
export function location(v: Record<string, string>): unknown {
	const lat = v.lat?.trim();
	const lon = v.lon?.trim();
	const x = v.rdX?.trim();
	const y = v.rdY?.trim();
	if (lat || lon) {
		const p = [num(lon ?? ''), num(lat ?? '')];
		if (!lat || !lon || p.some((n) => !Number.isFinite(n)))
			throw new ValidationError({
				point: msg('errors.edit.latLon')
			});
		if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
			throw new ValidationError({
				point: msg('errors.edit.latLonRange')
			});
		return { type: 'Point', coordinates: p };
	}
	if (x || y) {
		const p = [num(x ?? ''), num(y ?? '')];
		if (!x || !y || p.some((n) => !Number.isFinite(n)) || !looksLikeRd(p)) {
			throw new ValidationError({
				point: msg('errors.edit.rd')
			});
		}
		const [lo, la] = rdToWgs84(p);
		return { type: 'Point', coordinates: [Math.round(lo * 1e7) / 1e7, Math.round(la * 1e7) / 1e7] };
	}
	if (!v.geometry?.trim()) return undefined;
	try {
		return JSON.parse(v.geometry);
	} catch {
		throw new ValidationError({ geometry: msg('errors.edit.drawing') });
	}
}

/** A datetime-local value means Amsterdam wall-clock time. */
function moment(text: string | undefined): string | null | undefined {
	if (text === undefined) return undefined;
	if (!text.trim()) return null;
	return parseLocalDateTime(text)?.toISOString() ?? text;
}

export function formStrings(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of data) if (typeof v === 'string') out[k] = v;
	return out;
}

export function itemFromForm(form: FormData, layer: Layer): FormItem {
	const values = formStrings(form);
	const raw: Record<string, unknown> = {
		title: values.title ?? '',
		description: values.description ?? ''
	};
	if (values.theme?.trim()) raw.theme = values.theme.trim();
	if (layer === 'meldingen') {
		raw.category = values.category?.trim() || null;
		raw.subcategory = values.subcategory?.trim() || null;
	}
	if (layer === 'bijeenkomsten') {
		raw.startsAt = moment(values.startsAt);
		raw.endsAt = moment(values.endsAt);
	}
	const details: Record<string, string> = {};
	for (const f of DETAIL_FIELDS[layer]) {
		const v = values[`details.${f.key}`];
		if (v?.trim()) details[f.key] = v;
	}
	raw.details = details;
	const geometry = location(values);
	if (geometry !== undefined) raw.geometry = geometry;
	return { raw, values };
}

const LOCAL = new Intl.DateTimeFormat('sv-SE', {
	timeZone: 'Europe/Amsterdam',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit'
});
/** ISO instant → the datetime-local value Amsterdam clocks show. */
export const localInput = (iso: string | null) =>
	iso ? LOCAL.format(new Date(iso)).replace(' ', 'T') : '';

/** The stored item as form values. */
export function formValues(item: StaffItem): Record<string, string> {
	const v: Record<string, string> = {
		title: item.title,
		description: item.description,
		theme: item.theme,
		category: item.category ?? '',
		subcategory: item.subcategory ?? '',
		startsAt: localInput(item.startsAt),
		endsAt: localInput(item.endsAt),
		geometry: JSON.stringify(item.geometry)
	};
	if (item.geometry.type === 'Point') [v.lon, v.lat] = item.geometry.coordinates.map(String);
	for (const [k, d] of Object.entries(item.details)) v[`details.${k}`] = String(d);
	return v;
}
