-- Idempotency keys for resident submissions: a client that retries after a timeout (or a form
-- sent twice) gives the same key, and the store refuses a second item for it (unique key).
-- Only a hash of the key is kept; the tracking token is sealed with the key itself, so a retry
-- that presents the key gets the same private link back and the table alone opens nothing.
BEGIN;
CREATE TABLE submission_key (
	key_hash text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
	item_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	sealed_token text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
