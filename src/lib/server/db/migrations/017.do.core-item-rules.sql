-- The item rules every reader shares, in one place each (as 013 keeps the cell rules):
--   item_is_public(...)   which items anyone may see: not deleted, published, not sensitive;
--   public_item           the items that pass it, the table every public read starts from;
--   item_areas(geometry)  the areas an item lies in, {level: code}.
-- Code maps these; it does not write them again.
BEGIN;

-- Three columns, not a row: the cell trigger (013) applies it to transition tables, whose rows
-- are not of type item. A one-expression SQL function is inlined by the planner, so a query on
-- public_item still uses item's indexes.
CREATE FUNCTION item_is_public(deleted_at timestamptz, published boolean, sensitive boolean)
	RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT $1 IS NULL AND $2 AND NOT $3
$$;

-- Sensitive meldingen are public only as counts per area (items/read.ts areaSummary), which
-- reads item itself. `*` is expanded now: a migration that adds a column to item must
-- recreate this view for the column to show here.
CREATE VIEW public_item AS
	SELECT * FROM item i WHERE item_is_public(i.deleted_at, i.published, i.sensitive);

-- The areas of every level an item lies in: those that hold its representative point
-- (ST_PointOnSurface: the point itself, a point on a line, a point inside a polygon). A point
-- on a shared border goes to the lowest code, so the answer is stable. NULL when it lies in
-- no area at all. STABLE: it reads area.
CREATE FUNCTION item_areas(g geometry) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT jsonb_object_agg(hit.level, hit.code) FROM (
		SELECT DISTINCT ON (a.level) a.level, a.code FROM area a
		WHERE ST_Intersects(a.geom, ST_PointOnSurface(g)) ORDER BY a.level, a.code
	) hit
$$;

-- The cell counts (013) count exactly the public items.
CREATE OR REPLACE FUNCTION item_cell_rows(sign int, source text, cond text DEFAULT 'true') RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT format(
		'SELECT %s AS s, r.id, r.layer, r.theme, r.status, ST_X(p.c) AS lon, ST_Y(p.c) AS lat,
		        item_cell_x(ST_X(p.c)) AS cx, item_cell_y(ST_Y(p.c)) AS cy
		 FROM %I r CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(r.geom) = ''POINT'' THEN r.geom ELSE ST_PointOnSurface(r.geom) END AS c) p
		 WHERE item_is_public(r.deleted_at, r.published, r.sensitive) AND (%s)', sign, source, cond)
$$;

COMMIT;
