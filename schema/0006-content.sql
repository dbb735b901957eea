-- Case content in a table of its own, so that a case's row holds only its
-- metadata: queues, deadline looks, statistics and metrics read small rows,
-- and the ciphertext is read only when an officer opens the case.
CREATE TABLE case_content (
	case_id TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
	-- as cases.content was: version byte, nonce, XChaCha20-Poly1305
	-- ciphertext of the content document, associated data still
	-- "mandate/1/cases/content/<id>".  No row once the case is purged.
	content BLOB NOT NULL
);
INSERT INTO case_content (case_id, content)
	SELECT id, content FROM cases WHERE length(content) > 0;
ALTER TABLE cases DROP COLUMN content;
