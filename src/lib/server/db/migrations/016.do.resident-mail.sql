-- Residents hear back (src/lib/server/residents/mail*.ts). The outbox is written in the same
-- transaction as the change it reports; a sender loop delivers it over SMTP. It holds no
-- address and no link: both are read and made when the message is sent, so an unsubscribe or
-- the retention purge in between takes effect, and a leaked outbox opens nothing.
BEGIN;

-- Every e-mail gets its own tracking link (only the hash is kept), so one item has several.
ALTER TABLE tracking DROP CONSTRAINT IF EXISTS tracking_tracking_number_key;
CREATE INDEX tracking_number_idx ON tracking (tracking_number);

-- The language the submitter wrote in: their e-mail is in it.
ALTER TABLE melding_contact ADD COLUMN lang text NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl', 'en'));

-- E-mail subscriptions from the "Volg" page: a wijk, buurt (any area level), a theme, or a
-- circle around a point. Unconfirmed until the link in the first mail is opened (double opt-in).
CREATE TABLE mail_subscription (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 200),
	kind text NOT NULL CHECK (kind IN ('area', 'theme', 'point')),
	area_level text,
	area_code text,
	theme text,
	lon float8,
	lat float8,
	radius_m int CHECK (radius_m IS NULL OR radius_m BETWEEN 1 AND 5000),
	lang text NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl', 'en')),
	created_at timestamptz NOT NULL DEFAULT now(),
	confirmed_at timestamptz,
	-- Items newer than this are in the next overview.
	sent_until timestamptz NOT NULL DEFAULT now(),
	CHECK (kind <> 'area' OR (area_level IS NOT NULL AND area_code IS NOT NULL)),
	CHECK (kind <> 'theme' OR theme IS NOT NULL),
	CHECK (kind <> 'point' OR (lon IS NOT NULL AND lat IS NOT NULL AND radius_m IS NOT NULL))
);
CREATE INDEX mail_subscription_email_idx ON mail_subscription (email);

-- Links made for one message: confirm a subscription, or stop e-mail (a subscription, or the
-- mails about one item). Only the sha256 of the token is kept.
CREATE TABLE mail_token (
	token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	purpose text NOT NULL CHECK (purpose IN ('bevestigen', 'afmelden')),
	subscription_id bigint REFERENCES mail_subscription (id) ON DELETE CASCADE,
	item_id bigint REFERENCES item (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((subscription_id IS NULL) <> (item_id IS NULL))
);
CREATE INDEX mail_token_subscription_idx ON mail_token (subscription_id);
CREATE INDEX mail_token_item_idx ON mail_token (item_id);

CREATE TABLE mail_outbox (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- bevestiging: submission received; update: a timeline entry (status change, public text);
	-- afgewezen: moderation refused it; aanmelding: confirm a subscription; overzicht: new items
	-- for a subscription.
	kind text NOT NULL CHECK (kind IN ('bevestiging', 'update', 'afgewezen', 'aanmelding', 'overzicht')),
	item_id bigint REFERENCES item (id) ON DELETE CASCADE,
	update_id bigint REFERENCES item_update (id) ON DELETE CASCADE,
	subscription_id bigint REFERENCES mail_subscription (id) ON DELETE CASCADE,
	lang text NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl', 'en')),
	-- Origin for links, when the change came through a request (WIJKKAART_PUBLIC_URL wins).
	base_url text,
	-- overzicht: the period it covers.
	period_from timestamptz,
	period_to timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	attempts int NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	-- sent, or skipped (no address any more), or failed (gave up after the last retry).
	outcome text CHECK (outcome IN ('verzonden', 'overgeslagen', 'mislukt')),
	done_at timestamptz,
	last_error text,
	CHECK ((item_id IS NULL) <> (subscription_id IS NULL)),
	CHECK ((outcome IS NULL) = (done_at IS NULL))
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE outcome IS NULL;

COMMIT;
