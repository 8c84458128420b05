-- Staff accounts, server-side sessions, login throttling and the append-only audit trail.
-- Residents have no account. Authorization is decided in src/lib/server/auth (one guard).
BEGIN;

CREATE TABLE staff_user (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
	name text NOT NULL DEFAULT '',
	role text NOT NULL CHECK (role IN ('beheerder', 'wijkregisseur', 'medewerker', 'moderator')),
	-- Department (afdeling) a medewerker edits for; free text, matched against item details.
	department text,
	-- scrypt$N$r$p$salt$hash (node:crypto); NULL until a password is set.
	password_hash text,
	disabled_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- The wijken a wijkregisseur or medewerker is bound to (empty: not bound).
CREATE TABLE staff_user_wijk (
	user_id bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
	wijk text NOT NULL,
	PRIMARY KEY (user_id, wijk)
);

-- Only a hash of the session token is stored.
CREATE TABLE staff_session (
	token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	user_id bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	ended_at timestamptz
);
CREATE INDEX staff_session_user_idx ON staff_session (user_id);

-- Failed logins, per account and per client, for throttling; kept in the store so several
-- server processes agree.
CREATE TABLE login_attempt (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email text NOT NULL,
	client text NOT NULL,
	at timestamptz NOT NULL DEFAULT now(),
	ok boolean NOT NULL
);
CREATE INDEX login_attempt_email_idx ON login_attempt (email, at);
CREATE INDEX login_attempt_client_idx ON login_attempt (client, at);

-- Who did what, when, with the values before and after. Append-only: the store refuses
-- UPDATE and DELETE, whatever the caller.
CREATE TABLE audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	-- 'user:<id>', 'import:<command>', 'resident' or 'system'.
	actor text NOT NULL,
	actor_email text,
	action text NOT NULL,
	entity text NOT NULL,
	entity_id text,
	before jsonb,
	after jsonb,
	client text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Who last changed an item, for the conflict message "gewijzigd door … om …".
ALTER TABLE item ADD COLUMN updated_by text;

COMMIT;
