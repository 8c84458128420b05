/** One candidate parent of an area, with the overlap measured by PostGIS. */
export interface ParentOverlap {
	child: string;
	parent: string;
	/** Overlap area divided by the child's area, 0..1. */
	share: number;
}

/**
 * The parent is the coarser area that holds most of the child. Boundaries from different
 * sources rarely match exactly, so slivers along an edge must not win; a child that lies
 * mostly outside every candidate gets no parent rather than a wrong one.
 */
export function chooseParents(overlaps: ParentOverlap[], minShare = 0.2): Map<string, string> {
	const best = new Map<string, ParentOverlap>();
	for (const o of overlaps) {
		const cur = best.get(o.child);
		if (!cur || o.share > cur.share || (o.share === cur.share && o.parent < cur.parent))
			best.set(o.child, o);
	}
	const chosen = new Map<string, string>();
	for (const [child, o] of best) if (o.share >= minShare) chosen.set(child, o.parent);
	return chosen;
}
