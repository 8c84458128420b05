-- The street names under a map without a basemap, and the address under a melding's pin, are found
-- by place: a spatial index on the address points (src/lib/server/residents/streets.ts).
BEGIN;
CREATE INDEX address_geom_idx ON address USING gist (geom);
COMMIT;
