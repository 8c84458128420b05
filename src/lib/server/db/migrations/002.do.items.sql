-- The four layers: initiatieven, projecten, meldingen, bijeenkomsten, in one item table.
-- Areas are assigned by the store (representative point in area polygons), never taken from
-- input. Public queries filter deleted_at IS NULL AND published AND NOT sensitive.
BEGIN;

-- Filled from the theme configuration (default or WIJKKAART_THEMES_FILE) by every write path.
CREATE TABLE theme (
	id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
	label_nl text NOT NULL,
	label_en text NOT NULL,
	color text NOT NULL CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
	icon text NOT NULL,
	sort int NOT NULL DEFAULT 0
);

CREATE TABLE melding_category (
	id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
	label_nl text NOT NULL,
	label_en text NOT NULL,
	theme text NOT NULL REFERENCES theme (id),
	sla_days int CHECK (sla_days > 0),
	sensitive boolean NOT NULL DEFAULT false
);

-- Statuses are domain rules (src/lib/domain/layers.ts); the foreign key makes the store refuse
-- any other.
CREATE TABLE item_status (
	layer text NOT NULL CHECK (layer IN ('initiatieven', 'projecten', 'meldingen', 'bijeenkomsten')),
	status text NOT NULL,
	open boolean NOT NULL,
	sort int NOT NULL,
	PRIMARY KEY (layer, status)
);
INSERT INTO item_status (layer, status, open, sort) VALUES
	('initiatieven', 'idee', true, 1),
	('initiatieven', 'aangevraagd', true, 2),
	('initiatieven', 'toegekend', true, 3),
	('initiatieven', 'in_uitvoering', true, 4),
	('initiatieven', 'afgerond', false, 5),
	('initiatieven', 'afgewezen', false, 6),
	('projecten', 'verkenning', true, 1),
	('projecten', 'ontwerp', true, 2),
	('projecten', 'besluitvorming', true, 3),
	('projecten', 'uitvoering', true, 4),
	('projecten', 'opgeleverd', false, 5),
	('meldingen', 'gemeld', true, 1),
	('meldingen', 'in_behandeling', true, 2),
	('meldingen', 'ingepland', true, 3),
	('meldingen', 'afgehandeld', false, 4),
	('meldingen', 'heropend', true, 5),
	('meldingen', 'geannuleerd', false, 6),
	('bijeenkomsten', 'gepland', true, 1),
	('bijeenkomsten', 'geweest', false, 2),
	('bijeenkomsten', 'geannuleerd', false, 3);

CREATE TABLE item (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	layer text NOT NULL,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT '',
	-- Primary theme: the item's colour on the map and what ?theme= filters on.
	theme text NOT NULL REFERENCES theme (id),
	-- Secondary themes (checked against the taxonomy by the domain code).
	themes text[] NOT NULL DEFAULT '{}',
	status text NOT NULL,
	category text REFERENCES melding_category (id),
	subcategory text,
	-- Copied from the category so public queries can leave these out without a join.
	sensitive boolean NOT NULL DEFAULT false,
	geom geometry(Geometry, 4326) NOT NULL
		CHECK (GeometryType(geom) IN ('POINT', 'LINESTRING', 'POLYGON', 'MULTILINESTRING', 'MULTIPOLYGON')),
	-- {level: code} of the areas containing ST_PointOnSurface(geom), written by the store.
	areas jsonb NOT NULL DEFAULT '{}'::jsonb,
	-- Layer-specific fields, validated by src/lib/domain/items.ts.
	details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object'),
	starts_at timestamptz,
	ends_at timestamptz,
	-- Meldingen: created_at + afhandeltermijn, fixed when the melding is made.
	due_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	-- The date ?from= and ?to= filter on: the start of a meeting, else the creation date.
	relevant_at timestamptz GENERATED ALWAYS AS (CASE WHEN layer = 'bijeenkomsten' THEN starts_at ELSE created_at END) STORED,
	version int NOT NULL DEFAULT 1,
	published boolean NOT NULL DEFAULT true,
	deleted_at timestamptz,
	source text,
	external_id text,
	FOREIGN KEY (layer, status) REFERENCES item_status (layer, status),
	CHECK (layer = 'meldingen' OR (category IS NULL AND subcategory IS NULL AND NOT sensitive AND due_at IS NULL)),
	CHECK (layer <> 'bijeenkomsten' OR starts_at IS NOT NULL),
	CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at),
	CHECK (layer <> 'initiatieven' OR status <> 'afgewezen' OR length(trim(coalesce(details ->> 'rejectionReason', ''))) > 0)
);
CREATE INDEX item_geom_idx ON item USING gist (geom);
CREATE INDEX item_theme_idx ON item (theme, layer, id);
CREATE INDEX item_layer_idx ON item (layer, status, id);
CREATE INDEX item_areas_idx ON item USING gin (areas jsonb_path_ops);
CREATE INDEX item_relevant_at_idx ON item (relevant_at);
CREATE INDEX item_created_at_idx ON item (created_at);
CREATE INDEX item_category_idx ON item (category) WHERE category IS NOT NULL;

-- The public timeline: every status change carries the text residents read.
CREATE TABLE item_update (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	at timestamptz NOT NULL DEFAULT now(),
	status_from text,
	status_to text,
	public_text text NOT NULL CHECK (length(trim(public_text)) > 0)
);
CREATE INDEX item_update_item_idx ON item_update (item_id, at);

CREATE TABLE item_link (
	item_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	linked_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	kind text NOT NULL DEFAULT 'gerelateerd',
	PRIMARY KEY (item_id, linked_id),
	CHECK (item_id <> linked_id)
);
CREATE INDEX item_link_linked_idx ON item_link (linked_id);

-- Private: who made a melding. No public query reads this table.
CREATE TABLE melding_contact (
	item_id bigint PRIMARY KEY REFERENCES item (id) ON DELETE CASCADE,
	email text,
	phone text,
	name text
);

COMMIT;
