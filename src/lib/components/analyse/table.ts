/** A column of SortableTable. */
export interface Col<T> {
	key: string;
	label: string;
	/** Sort value; numbers sort numerically, null last. */
	value: (row: T) => string | number | null;
	/** What the cell shows; defaults to the value. */
	show?: (row: T) => string;
	href?: (row: T) => string;
	numeric?: boolean;
}
