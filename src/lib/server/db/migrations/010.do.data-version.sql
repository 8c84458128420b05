-- One counter that every change to items bumps, per statement: item tiles and other cached
-- views use it as their ETag, so a change invalidates them without scanning items.
BEGIN;

CREATE TABLE data_version (
	name text PRIMARY KEY,
	version bigint NOT NULL DEFAULT 0,
	changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version (name) VALUES ('items');

CREATE FUNCTION bump_items_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = 'items';
	RETURN NULL;
END;
$$;
CREATE TRIGGER item_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON item
	FOR EACH STATEMENT EXECUTE FUNCTION bump_items_version();
CREATE TRIGGER item_update_version_bump AFTER INSERT OR UPDATE OR DELETE ON item_update
	FOR EACH STATEMENT EXECUTE FUNCTION bump_items_version();

COMMIT;
