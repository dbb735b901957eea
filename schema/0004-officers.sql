-- Officers' work: the lifecycle's outcome, assignment, deadline marks,
-- internal notes, the conflict register and the blind index of the
-- subjects of each case.

-- The officer a case is assigned to (a user name), or NULL.
ALTER TABLE cases ADD COLUMN assignee TEXT;
-- The outcome recorded by the closing transition (the unit's list).
ALTER TABLE cases ADD COLUMN outcome TEXT;
-- When the current stage's clock started, and since when it is paused
-- (a state that waits for the submitter), NULL while it runs.
ALTER TABLE cases ADD COLUMN stage_started_at INTEGER;
ALTER TABLE cases ADD COLUMN paused_at INTEGER;
-- Deadline alerts already raised for the current stage: bit 1 urgent,
-- 2 at 80 %, 4 at 100 % (each runs the escalation command once).
ALTER TABLE cases ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET stage_started_at = received_at;

-- Officers' internal notes: never shown to the submitter.
CREATE TABLE notes (
	seq INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE, -- drawn by the writer's client
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	author TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	-- box under the case key, associated data
	-- "mandate/1/notes/body/<case id>:<note id>"
	body BLOB NOT NULL
);
CREATE INDEX notes_by_case ON notes (case_id, seq);

-- The conflict register: an officer may not read cases about a name.
-- The name is kept only as a keyed BLAKE2b of its normalised words under
-- the daemon's index key.
CREATE TABLE conflicts (
	id INTEGER PRIMARY KEY,
	officer_id INTEGER NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
	name_hash BLOB NOT NULL CHECK (length(name_hash) = 32),
	created_at INTEGER NOT NULL,
	UNIQUE (officer_id, name_hash)
);

-- The same keyed hash of each subject of a case (its blind index).
CREATE TABLE case_subjects (
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	hash BLOB NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (case_id, hash)
) WITHOUT ROWID;
CREATE INDEX case_subjects_by_hash ON case_subjects (hash);
