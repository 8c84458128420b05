-- Overlays of area boundaries on a fixed grid. Separately published levels of a city carry
-- their own copy of each shared border, equal up to rounding; a floating-point overlay of such
-- near-coincident edges fails and GEOS recovers by catching its own exception and retrying.
-- The WASM build in PGlite cannot catch it: the statement ends without rows and without an
-- error (src/lib/server/db/pglite.ts turns that into an error). Snap-rounding on a fixed grid
-- needs no recovery. 1e-9 degree is about 0.1 mm, far below any boundary's accuracy.
BEGIN;

CREATE FUNCTION overlay_grid() RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT 1e-9::float8 $$;

-- The share of `part`'s area that lies in `whole` (0..1), null for a part without area.
CREATE FUNCTION area_share(part geometry, whole geometry) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT (ST_Area(ST_Intersection(part, whole, overlay_grid())) / NULLIF(ST_Area(part), 0))::float8 $$;

COMMIT;
