-- Indexes that keep the daily work fast with millions of cases.
--
-- The default queue (urgent first, then by due date, open cases before
-- closed ones): the same expressions as the query, so that a page is read
-- in index order and the scan stops at the page's end.
CREATE INDEX cases_queue ON cases (unit, (1 - urgent),
	(CASE WHEN due_at > 0 AND status <> 'closed' THEN due_at
	 ELSE 9000000000000000000 END), id);

-- When a case next needs the deadline look (escalate.c): at once for an
-- urgent case not yet escalated, else at 80 % of its stage's time (the
-- least instant at which (now - start) * 100 / (due - start) >= 80), else
-- at its due date; NULL when closed, purged, paused, without a deadline,
-- or with every alert given.  A virtual column: computed, never stored.
ALTER TABLE cases ADD COLUMN alert_at INTEGER GENERATED ALWAYS AS (
	CASE
	WHEN status = 'closed' OR purged_at IS NOT NULL THEN NULL
	WHEN urgent = 1 AND (escalated & 1) = 0 THEN 0
	WHEN paused_at IS NOT NULL OR stage_started_at IS NULL
	     OR due_at <= stage_started_at THEN NULL
	WHEN (escalated & 2) = 0 THEN
		stage_started_at + ((due_at - stage_started_at) * 80 + 99) / 100
	WHEN (escalated & 4) = 0 THEN due_at
	END) VIRTUAL;
CREATE INDEX cases_by_alert ON cases (alert_at) WHERE alert_at IS NOT NULL;
