-- Residents: a local address index for the search box, photos with meldingen (private until
-- staff make them public) and per-client counters for rate limits shared by server processes.
BEGIN;

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per address point (or per street point, when a source has no house numbers).
CREATE TABLE address (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	street text NOT NULL CHECK (length(street) BETWEEN 1 AND 200),
	-- Lower case, accents removed: what search compares against.
	street_norm text NOT NULL,
	house_number text,
	postcode text CHECK (postcode IS NULL OR postcode ~ '^[0-9]{4}[A-Z]{2}$'),
	woonplaats text,
	geom geometry(Point, 4326) NOT NULL,
	source text
);
CREATE INDEX address_street_trgm_idx ON address USING gin (street_norm gin_trgm_ops);
CREATE INDEX address_street_idx ON address (street_norm text_pattern_ops);
CREATE INDEX address_postcode_idx ON address (postcode, house_number);

-- Photos sent with a melding. Served publicly only once staff set public = true.
CREATE TABLE item_photo (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
	bytes bytea NOT NULL,
	width int NOT NULL,
	height int NOT NULL,
	public boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX item_photo_item_idx ON item_photo (item_id);

-- Fixed-window counters: (client, bucket, window start) → hits.
CREATE TABLE rate_limit (
	client text NOT NULL,
	bucket text NOT NULL,
	window_start timestamptz NOT NULL,
	hits int NOT NULL DEFAULT 0,
	PRIMARY KEY (client, bucket, window_start)
);

COMMIT;
