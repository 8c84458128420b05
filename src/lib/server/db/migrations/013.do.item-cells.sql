-- Item counts per map cell, kept up to date by every write, so an item tile below the detail zoom
-- reads the cells on screen instead of every item in the tile (src/lib/server/tiles/item-cells.ts).
--
-- A cell is a Web-Mercator tile: the 32 × 32 cells of a zoom-z tile are the zoom-(z+5) tiles in it.
-- The finest cell is zoom 18 (cells of a zoom-13 tile, the last below DETAIL_ZOOM 14); a coarser
-- cell is the finest shifted right (cx >> k), so every zoom derives from one computation. Each
-- cell zoom 5..18 is stored: at a million meldingen a cell holds 30–50 layer × theme × status
-- groups, so reading the cells of one zoom finer and rolling them up would read 4× the rows.
--
-- Only PUBLIC items count (src/lib/server/items/read.ts: not deleted, published, not sensitive),
-- the same ones the row query of a tile sees; sensitive meldingen stay out, as they do there.
BEGIN;

CREATE TABLE item_cell (
	z smallint NOT NULL,
	cx int NOT NULL,
	cy int NOT NULL,
	layer text NOT NULL,
	theme text NOT NULL,
	status text NOT NULL,
	n int NOT NULL,
	-- Sums of the representative points, for the mean position of a cell.
	lon float8 NOT NULL,
	lat float8 NOT NULL,
	-- The sum of the ids, not the minimum: a sum survives deletes without a rescan, and where
	-- n = 1 (the only place a tile shows an id) it is that item's id.
	ids bigint NOT NULL,
	-- A tile reads one zoom and a range of columns; cy and the rest filter inside the index. The
	-- sums ride along in the index, so a tile is an index-only scan: a z12 tile at 1M meldingen
	-- read ~8,000 scattered heap pages for ~19,000 rows without them, ~300 index pages with.
	PRIMARY KEY (z, cx, cy, layer, theme, status) INCLUDE (n, lon, lat, ids)
);

-- The finest cell of a WGS84 position (zoom-18 tile numbers, as src/lib/geo/tiles.ts tileOf).
CREATE FUNCTION item_cell_x(lon float8) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT least(262143, greatest(0, floor((lon + 180) / 360 * 262144)))::int
$$;
CREATE FUNCTION item_cell_y(lat float8) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT least(262143, greatest(0, floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * 262144)))::int
$$;

-- SQL text: the cell-relevant columns of the public rows of a table (`item` or a transition
-- table), each with a sign, +1 for rows that arrive and -1 for rows that leave.
CREATE FUNCTION item_cell_rows(sign int, source text, cond text DEFAULT 'true') RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT format(
		'SELECT %s AS s, r.id, r.layer, r.theme, r.status, ST_X(p.c) AS lon, ST_Y(p.c) AS lat,
		        item_cell_x(ST_X(p.c)) AS cx, item_cell_y(ST_Y(p.c)) AS cy
		 FROM %I r CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(r.geom) = ''POINT'' THEN r.geom ELSE ST_PointOnSurface(r.geom) END AS c) p
		 WHERE r.deleted_at IS NULL AND r.published AND NOT r.sensitive AND (%s)', sign, source, cond)
$$;

-- SQL text: adds signed rows (item_cell_rows) to every cell zoom. Groups whose changes cancel
-- out (an edit of the title, a move within a cell's neighbours) write nothing.
CREATE FUNCTION item_cell_upsert(rows text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT format(
		'INSERT INTO item_cell AS c (z, cx, cy, layer, theme, status, n, lon, lat, ids)
		 SELECT l.z, d.cx >> (18 - l.z), d.cy >> (18 - l.z), d.layer, d.theme, d.status,
		        sum(d.s)::int, sum(d.s * d.lon), sum(d.s * d.lat), sum(d.s * d.id)::bigint
		 FROM (%s) d CROSS JOIN generate_series(5, 18) l(z)
		 GROUP BY 1, 2, 3, 4, 5, 6
		 HAVING sum(d.s) <> 0 OR sum(d.s * d.lon) <> 0 OR sum(d.s * d.lat) <> 0
		 ON CONFLICT (z, cx, cy, layer, theme, status) DO UPDATE
		 SET n = c.n + excluded.n, lon = c.lon + excluded.lon, lat = c.lat + excluded.lat, ids = c.ids + excluded.ids', rows)
$$;

-- Statement-level, with transition tables: a bulk insert of 5,000 items is one aggregate and
-- one upsert, not 5,000 row triggers. Transition tables are only visible in the trigger
-- function itself (not in functions it calls), hence the SQL text built above.
CREATE FUNCTION item_cell_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	changed text;
	rows text;
BEGIN
	IF TG_OP = 'INSERT' THEN
		EXECUTE item_cell_upsert(item_cell_rows(1, 'new_rows'));
		RETURN NULL;
	END IF;
	IF TG_OP = 'DELETE' THEN
		rows := item_cell_rows(-1, 'old_rows');
	ELSE
		-- Only items whose cell, layer, theme, status or visibility changed: most updates
		-- (texts, areas, versions) touch none of these.
		changed := 'r.id IN (SELECT o.id FROM old_rows o JOIN new_rows w ON w.id = o.id
		              WHERE (o.layer, o.theme, o.status, o.deleted_at IS NULL, o.published, o.sensitive, ST_AsBinary(o.geom))
		                    IS DISTINCT FROM (w.layer, w.theme, w.status, w.deleted_at IS NULL, w.published, w.sensitive, ST_AsBinary(w.geom)))';
		rows := item_cell_rows(-1, 'old_rows', changed) || ' UNION ALL ' || item_cell_rows(1, 'new_rows', changed);
	END IF;
	EXECUTE item_cell_upsert(rows);
	-- Cells that lost their last item go; only cells that lost items can be empty.
	EXECUTE format(
		'DELETE FROM item_cell c USING (SELECT DISTINCT l.z, d.cx >> (18 - l.z) AS cx, d.cy >> (18 - l.z) AS cy, d.layer, d.theme, d.status
		                                FROM (%s) d CROSS JOIN generate_series(5, 18) l(z) WHERE d.s < 0) k
		 WHERE c.n = 0 AND (c.z, c.cx, c.cy, c.layer, c.theme, c.status) = (k.z, k.cx, k.cy, k.layer, k.theme, k.status)', rows);
	RETURN NULL;
END;
$$;

CREATE FUNCTION item_cell_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE item_cell;
	RETURN NULL;
END;
$$;

-- A trigger with transition tables serves one event, hence one per event.
CREATE TRIGGER item_cell_insert AFTER INSERT ON item REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION item_cell_sync();
CREATE TRIGGER item_cell_update AFTER UPDATE ON item REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION item_cell_sync();
CREATE TRIGGER item_cell_delete AFTER DELETE ON item REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION item_cell_sync();
CREATE TRIGGER item_cell_truncate AFTER TRUNCATE ON item
	FOR EACH STATEMENT EXECUTE FUNCTION item_cell_clear();

-- Counts everything again: for the items already in the store, and after a restore of a backup
-- made before this table existed (restores run with triggers off).
CREATE FUNCTION item_cell_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE item_cell;
	EXECUTE item_cell_upsert(item_cell_rows(1, 'item'));
END;
$$;
SELECT item_cell_rebuild();

COMMIT;
