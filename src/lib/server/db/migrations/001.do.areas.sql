-- Areas form a hierarchy of any depth. Level names are data: Utrecht has wijk > buurt,
-- Amsterdam stadsdeel > gebied > wijk > buurt. depth 0 is the coarsest level.
BEGIN;

CREATE TABLE area_level (
	name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{0,39}$'),
	depth int NOT NULL UNIQUE CHECK (depth >= 0),
	label_nl text,
	label_en text
);

CREATE TABLE area (
	level text NOT NULL REFERENCES area_level (name) ON DELETE CASCADE,
	code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
	name text NOT NULL,
	-- Code of the containing area one level coarser; null at the top or when none contains it.
	parent text,
	population int CHECK (population IS NULL OR population >= 0),
	geom geometry(MultiPolygon, 4326) NOT NULL,
	PRIMARY KEY (level, code)
);
CREATE INDEX area_geom_idx ON area USING gist (geom);
CREATE INDEX area_parent_idx ON area (parent);
CREATE INDEX area_code_idx ON area (code);

-- One row per import, so the interface can say where the boundaries come from.
CREATE TABLE import_log (
	id serial PRIMARY KEY,
	kind text NOT NULL,
	target text,
	source text,
	summary jsonb NOT NULL DEFAULT '{}'::jsonb,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Key-value facts about the store (e.g. demo=true, gemeente name).
CREATE TABLE meta (
	key text PRIMARY KEY,
	value jsonb NOT NULL
);

COMMIT;
