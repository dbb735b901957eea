-- Audit: the tamper-evident log of every action (a BLAKE2b hash chain),
-- the signed heads of that chain (Ed25519), each case's status history,
-- and what retention and legal hold keep on a case.  The canonical
-- encoding that the hashes cover is in the README ("Audit log").

CREATE TABLE audit (
	seq INTEGER PRIMARY KEY CHECK (seq >= 1), -- 1, 2, 3, ... without gaps
	time INTEGER NOT NULL, -- seconds since the epoch (the day, once shredded)
	-- login name, "anonymous", "submitter" or "system"; NULL once shredded
	actor TEXT,
	role TEXT NOT NULL,
	action TEXT NOT NULL,
	case_id TEXT, -- NULL for entries about no case, and once shredded
	unit TEXT,
	details TEXT, -- a JSON object, never content; NULL once shredded
	-- an Ombudsperson entry: its field hashes are keyed with salt, and
	-- exports carry the hashes in place of the fields
	redacted INTEGER NOT NULL CHECK (redacted IN (0, 1)),
	salt BLOB CHECK (salt IS NULL OR length(salt) = 32),
	time_hash BLOB NOT NULL CHECK (length(time_hash) = 32),
	case_hash BLOB NOT NULL CHECK (length(case_hash) = 32),
	actor_hash BLOB NOT NULL CHECK (length(actor_hash) = 32),
	details_hash BLOB NOT NULL CHECK (length(details_hash) = 32),
	prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
	hash BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_by_time ON audit (time);
CREATE INDEX audit_by_case ON audit (case_id) WHERE case_id IS NOT NULL;

-- Append-only.  The one change allowed is shredding an Ombudsperson
-- entry when its case is purged: its clear fields and salt go, its time
-- is rounded to the day, and every hash stays, so the chain still
-- verifies.
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN NOT (OLD.redacted = 1 AND NEW.redacted = 1 AND NEW.seq = OLD.seq
	AND NEW.role = OLD.role AND NEW.action = OLD.action
	AND NEW.unit IS OLD.unit AND NEW.time_hash = OLD.time_hash
	AND NEW.case_hash = OLD.case_hash AND NEW.actor_hash = OLD.actor_hash
	AND NEW.details_hash = OLD.details_hash
	AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
	AND NEW.actor IS NULL AND NEW.case_id IS NULL AND NEW.details IS NULL
	AND NEW.salt IS NULL AND NEW.time = OLD.time - OLD.time % 86400)
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Signed statements about the chain: entries from_seq (whose
-- predecessor's hash is prev_hash) to seq end with hash.  Made every
-- audit_sign_every entries (from_seq 1), at every export (the export's
-- range) and at stop.
CREATE TABLE audit_heads (
	id INTEGER PRIMARY KEY,
	from_seq INTEGER NOT NULL,
	prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
	seq INTEGER NOT NULL,
	hash BLOB NOT NULL CHECK (length(hash) = 32),
	signed_at INTEGER NOT NULL,
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	signature BLOB NOT NULL CHECK (length(signature) = 64)
);
CREATE INDEX audit_heads_by_seq ON audit_heads (seq);

-- Every status a case has had, with when and the role of who set it:
-- "received" at intake; the transitions of the case lifecycle add rows.
CREATE TABLE case_events (
	id INTEGER PRIMARY KEY,
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	time INTEGER NOT NULL,
	status TEXT NOT NULL,
	actor_role TEXT NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, time, id);
INSERT INTO case_events (case_id, time, status, actor_role)
	SELECT id, received_at, 'received', 'submitter' FROM cases;

-- When the case was closed (its retention period runs from then), since
-- when it is under legal hold (never purged while set), and when it was
-- purged (a content-free tombstone remains).
ALTER TABLE cases ADD COLUMN closed_at INTEGER;
ALTER TABLE cases ADD COLUMN hold_since INTEGER;
ALTER TABLE cases ADD COLUMN purged_at INTEGER;
CREATE INDEX cases_by_closed ON cases (closed_at)
	WHERE closed_at IS NOT NULL AND purged_at IS NULL;
