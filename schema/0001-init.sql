-- The first schema: officers and their public keys, cases with their
-- routing metadata and encrypted content, and the sealed copies of each
-- case key (one per officer who may read the case).

CREATE TABLE officers (
	id INTEGER PRIMARY KEY,
	user TEXT NOT NULL,
	unit TEXT NOT NULL,
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	enrolled_at INTEGER NOT NULL,
	UNIQUE (user, unit)
);

CREATE TABLE cases (
	id TEXT PRIMARY KEY,
	unit TEXT NOT NULL,
	category TEXT,
	subject_office TEXT,
	language TEXT,
	status TEXT NOT NULL,
	anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
	urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
	rule TEXT NOT NULL,
	recused INTEGER NOT NULL CHECK (recused IN (0, 1)),
	received_at INTEGER NOT NULL,
	due_at INTEGER NOT NULL,
	-- version byte, nonce, XChaCha20-Poly1305 ciphertext of the content
	-- document; associated data "mandate/1/cases/content/<id>"
	content BLOB NOT NULL
) WITHOUT ROWID;

CREATE INDEX cases_by_unit ON cases (unit, received_at DESC, id DESC);

CREATE TABLE case_keys (
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	officer_id INTEGER NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
	-- crypto_box_seal of the case key to the officer's public key
	sealed BLOB NOT NULL CHECK (length(sealed) = 80),
	PRIMARY KEY (case_id, officer_id)
) WITHOUT ROWID;

CREATE INDEX case_keys_by_officer ON case_keys (officer_id, case_id);
