-- Resident submissions (meldingen, initiative proposals) and their private tracking links.
-- A submission is an item with published = false and moderation = 'te_beoordelen' until a
-- moderator approves it (published = true), rejects it (reason shown to the submitter) or
-- merges it into an existing melding (merged_into; the submitter's link follows the merge).
-- Staff-made and imported items have moderation NULL.
BEGIN;

ALTER TABLE item
	ADD COLUMN moderation text CHECK (moderation IN ('te_beoordelen', 'goedgekeurd', 'afgewezen', 'samengevoegd')),
	ADD COLUMN moderation_reason text,
	ADD COLUMN moderated_at timestamptz,
	ADD COLUMN merged_into bigint REFERENCES item (id),
	ADD CONSTRAINT item_rejection_has_reason
		CHECK (moderation IS DISTINCT FROM 'afgewezen' OR length(trim(coalesce(moderation_reason, ''))) > 0),
	ADD CONSTRAINT item_merge_has_target
		CHECK ((moderation = 'samengevoegd') = (merged_into IS NOT NULL)),
	ADD CONSTRAINT item_pending_unpublished
		CHECK (moderation IS DISTINCT FROM 'te_beoordelen' OR NOT published);
CREATE INDEX item_moderation_queue_idx ON item (layer, id) WHERE moderation = 'te_beoordelen';

-- Only a hash of the token is kept: a leaked table gives no working links.
CREATE TABLE tracking (
	token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	item_id bigint NOT NULL REFERENCES item (id) ON DELETE CASCADE,
	-- Shown to the resident and quoted on the phone; not a secret.
	tracking_number text NOT NULL UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tracking_item_idx ON tracking (item_id);

COMMIT;
