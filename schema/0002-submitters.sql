-- Submitters: receipts (only their lookup hash and a verifier), the
-- submitter's sealed copy of the case key, a blind index for "my cases",
-- the message thread, consent requests and answers, attachments, and
-- idempotency keys.

-- BLAKE2b of the receipt under a lookup label, and BLAKE2b of its
-- authenticator: neither reveals the receipt.
ALTER TABLE cases ADD COLUMN receipt_lookup BLOB;
ALTER TABLE cases ADD COLUMN receipt_verifier BLOB;
-- crypto_box_seal of the case key to the key pair derived from the receipt
ALTER TABLE cases ADD COLUMN submitter_sealed BLOB;
-- keyed BLAKE2b of the submitter's user name under the daemon's index key;
-- NULL for anonymous cases
ALTER TABLE cases ADD COLUMN submitter_tag BLOB;
-- the last message the submitter has seen
ALTER TABLE cases ADD COLUMN submitter_seen INTEGER NOT NULL DEFAULT 0;

CREATE UNIQUE INDEX cases_by_receipt ON cases (receipt_lookup);
CREATE INDEX cases_by_submitter ON cases (submitter_tag, received_at);

CREATE TABLE messages (
	seq INTEGER PRIMARY KEY,
	-- chosen by the writer's client, so that it can be bound into the
	-- associated data and used as the idempotency key of the message
	id TEXT NOT NULL UNIQUE,
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	author_role TEXT NOT NULL CHECK (author_role IN ('submitter', 'officer')),
	author TEXT, -- the officer's user name; NULL for the submitter
	kind TEXT NOT NULL CHECK (kind IN ('message', 'addition',
		'consent-request', 'consent-answer')),
	created_at INTEGER NOT NULL,
	-- box under the case key, associated data
	-- "mandate/1/messages/body/<case id>:<message id>"
	body BLOB NOT NULL
);
CREATE INDEX messages_by_case ON messages (case_id, seq);

CREATE TABLE consents (
	request_id TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	purpose TEXT NOT NULL CHECK (purpose IN ('refer', 'reveal-identity')),
	unit TEXT, -- the unit the consent is about, when there is one
	answer TEXT CHECK (answer IN ('yes', 'no')),
	answered_at INTEGER
);
CREATE INDEX consents_by_case ON consents (case_id);

CREATE TABLE attachments (
	id TEXT PRIMARY KEY,
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	author_role TEXT NOT NULL CHECK (author_role IN ('submitter', 'officer')),
	created_at INTEGER NOT NULL,
	size INTEGER NOT NULL,   -- declared plaintext size
	chunks INTEGER NOT NULL, -- chunks received so far
	stored INTEGER NOT NULL, -- ciphertext bytes received so far
	complete INTEGER NOT NULL DEFAULT 0,
	header BLOB NOT NULL CHECK (length(header) = 24), -- secretstream header
	-- box under the case key of {"name", "type", "size"}, associated data
	-- "mandate/1/attachments/meta/<case id>:<attachment id>"
	meta BLOB NOT NULL
);
CREATE INDEX attachments_by_case ON attachments (case_id);

CREATE TABLE attachment_chunks (
	attachment_id TEXT NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	data BLOB NOT NULL, -- one secretstream message
	PRIMARY KEY (attachment_id, seq)
) WITHOUT ROWID;

-- Submissions already taken in, by the keyed hash of their idempotency
-- key, so that a retry returns the first answer instead of a second case.
CREATE TABLE idempotency (
	key_hash BLOB PRIMARY KEY,
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	body_hash BLOB NOT NULL,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;
