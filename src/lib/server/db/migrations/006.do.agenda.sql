-- Wijkagenda: per wijk per period, ambitions with SMART goals and actions with owners,
-- planning, status, progress, budget and a place on the map. action_update is the public
-- history that answers "wat is er veranderd sinds …".
BEGIN;

CREATE TABLE agenda (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	wijk text NOT NULL,
	period_start int NOT NULL CHECK (period_start BETWEEN 2000 AND 2100),
	period_end int NOT NULL CHECK (period_end BETWEEN 2000 AND 2100),
	title text NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
	-- Organisational contacts by role ({role, name, email?, url?}); never personal phone numbers.
	contacts jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(contacts) = 'array'),
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (wijk, period_start),
	CHECK (period_end >= period_start)
);

CREATE TABLE ambition (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	agenda_id bigint NOT NULL REFERENCES agenda (id) ON DELETE CASCADE,
	theme text NOT NULL REFERENCES theme (id),
	title text NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT '',
	rank int NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ambition_agenda_idx ON ambition (agenda_id, rank);

CREATE TABLE goal (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ambition_id bigint NOT NULL REFERENCES ambition (id) ON DELETE CASCADE,
	indicator text NOT NULL CHECK (length(trim(indicator)) BETWEEN 1 AND 200),
	unit text NOT NULL DEFAULT '',
	baseline float8 NOT NULL,
	target float8 NOT NULL,
	current float8,
	deadline date NOT NULL
);
CREATE INDEX goal_ambition_idx ON goal (ambition_id);

CREATE TABLE action (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ambition_id bigint NOT NULL REFERENCES ambition (id) ON DELETE CASCADE,
	title text NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT '',
	owner text NOT NULL CHECK (length(trim(owner)) > 0),
	planned_start date,
	planned_end date,
	actual_start date,
	actual_end date,
	status text NOT NULL CHECK (status IN ('gepland', 'loopt', 'vertraagd', 'afgerond', 'geschrapt')),
	progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	budget numeric(14, 2) CHECK (budget >= 0),
	geom geometry(Geometry, 4326)
		CHECK (geom IS NULL OR GeometryType(geom) IN ('POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON')),
	buurten text[] NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	version int NOT NULL DEFAULT 1,
	updated_by text,
	CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
	CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
);
CREATE INDEX action_ambition_idx ON action (ambition_id);
CREATE INDEX action_geom_idx ON action USING gist (geom);

CREATE TABLE action_item (
	action_id bigint NOT NULL REFERENCES action (id) ON DELETE CASCADE,
	item_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	PRIMARY KEY (action_id, item_id)
);
CREATE INDEX action_item_item_idx ON action_item (item_id);

-- Public history of every action: creation (status_from NULL) and each change, with the text
-- the wijk reads.
CREATE TABLE action_update (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	action_id bigint NOT NULL REFERENCES action (id) ON DELETE CASCADE,
	at timestamptz NOT NULL DEFAULT now(),
	status_from text,
	status_to text NOT NULL,
	progress_from int,
	progress_to int NOT NULL,
	public_text text NOT NULL CHECK (length(trim(public_text)) > 0)
);
CREATE INDEX action_update_action_idx ON action_update (action_id, at);

COMMIT;
