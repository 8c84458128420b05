import { AppError, msg } from '../domain/errors.ts';
import type { Message } from '../i18n/localize.ts';
import type { MultiPolygon, Position } from 'geojson';

/**
 * Pure checks and light repairs of (Multi)Polygon coordinates, before anything reaches the
 * store. Topology (self-intersection) is left to PostGIS, which knows it best.
 */
export class GeometryError extends AppError {
	constructor(text: string | Message) {
		super(text, { status: 400, field: 'geometry' });
	}
}

export interface RingRepairs {
	closed: number;
	duplicatesRemoved: number;
}

export function toMultiPolygon(geometry: unknown): MultiPolygon {
	if (!geometry || typeof geometry !== 'object')
		throw new GeometryError(msg('errors.geometry.missing'));
	const g = geometry as { type?: unknown; coordinates?: unknown };
	if (g.type === 'Polygon')
		return { type: 'MultiPolygon', coordinates: [asPolygon(g.coordinates)] };
	if (g.type === 'MultiPolygon') {
		if (!Array.isArray(g.coordinates) || g.coordinates.length === 0)
			throw new GeometryError(msg('errors.geometry.emptyMulti'));
		return { type: 'MultiPolygon', coordinates: g.coordinates.map(asPolygon) };
	}
	throw new GeometryError(
		g.type == null
			? msg('errors.geometry.noType')
			: msg('errors.geometry.notPolygon', { type: String(g.type) })
	);
}

function asPolygon(rings: unknown): Position[][] {
	if (!Array.isArray(rings) || rings.length === 0)
		throw new GeometryError(msg('errors.geometry.noRings'));
	return rings.map((ring) => {
		if (!Array.isArray(ring)) throw new GeometryError(msg('errors.geometry.ringNotList'));
		return ring.map(asPosition);
	});
}

function asPosition(p: unknown): Position {
	if (!Array.isArray(p) || p.length < 2)
		throw new GeometryError(msg('errors.geometry.notPosition'));
	const [x, y] = p;
	if (
		typeof x !== 'number' ||
		typeof y !== 'number' ||
		!Number.isFinite(x) ||
		!Number.isFinite(y)
	) {
		throw new GeometryError(msg('errors.geometry.notFinite', { x: String(x), y: String(y) }));
	}
	return [x, y];
}

/** Closes open rings and drops repeated points; refuses rings too short to enclose anything. */
export function repairRings(mp: MultiPolygon): { geometry: MultiPolygon; repairs: RingRepairs } {
	const repairs: RingRepairs = { closed: 0, duplicatesRemoved: 0 };
	const coordinates = mp.coordinates.map((poly) =>
		poly.map((ring) => {
			const out: Position[] = [];
			for (const p of ring) {
				const last = out[out.length - 1];
				if (last && last[0] === p[0] && last[1] === p[1]) repairs.duplicatesRemoved++;
				else out.push(p);
			}
			const first = out[0];
			const last = out[out.length - 1];
			if (out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) {
				out.push([first[0], first[1]]);
				repairs.closed++;
			}
			if (out.length < 4)
				throw new GeometryError(msg('errors.geometry.shortRing', { n: out.length }));
			return out;
		})
	);
	return { geometry: { type: 'MultiPolygon', coordinates }, repairs };
}

export function mapPositions(mp: MultiPolygon, fn: (p: Position) => Position): MultiPolygon {
	return {
		type: 'MultiPolygon',
		coordinates: mp.coordinates.map((poly) => poly.map((ring) => ring.map(fn)))
	};
}

/** A few positions per feature are enough to tell RD from WGS84. */
export function samplePositions(mp: MultiPolygon): Position[] {
	return mp.coordinates.flatMap((poly) => poly.map((ring) => ring[0]));
}

export function vertexCount(mp: MultiPolygon): number {
	return mp.coordinates.reduce((n, poly) => n + poly.reduce((m, ring) => m + ring.length, 0), 0);
}
