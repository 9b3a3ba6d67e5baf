-- 002 execution runtime: what executions as grains need beyond the ledger of 001. Attempts and
-- retries, progress, the version every write checks (single writer per execution, optimistic
-- concurrency), the append-only history (execution_events), bounded log lines, and dead letters.
-- Timestamps are UTC text (ISO 8601, +00:00), as in 001.
ALTER TABLE executions ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE executions ADD COLUMN parent_execution_id TEXT;
ALTER TABLE executions ADD COLUMN retry_of TEXT;
ALTER TABLE executions ADD COLUMN queued_at TEXT;
ALTER TABLE executions ADD COLUMN next_attempt_at TEXT;
ALTER TABLE executions ADD COLUMN updated_at TEXT;
ALTER TABLE executions ADD COLUMN progress_step TEXT;
ALTER TABLE executions ADD COLUMN progress_completed INTEGER;
ALTER TABLE executions ADD COLUMN progress_total INTEGER;
ALTER TABLE executions ADD COLUMN retry_json TEXT;
ALTER TABLE executions ADD COLUMN run_timeout_ms INTEGER;
ALTER TABLE executions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;

CREATE INDEX ix_executions_logical_key_created ON executions (logical_key, created_at) WHERE logical_key IS NOT NULL;
CREATE INDEX ix_executions_parent ON executions (parent_execution_id) WHERE parent_execution_id IS NOT NULL;

-- One row per event; (execution_id, seq) numbers an execution's events from 1 without gaps, so a
-- reader (the API's SSE stream) resumes after the last one it saw.
CREATE TABLE execution_events (
  execution_id TEXT NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  event_type   TEXT NOT NULL,
  at           TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  data_json    TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (execution_id, seq)
) WITHOUT ROWID;

CREATE INDEX ix_execution_events_type_at ON execution_events (event_type, at);

CREATE TABLE execution_logs (
  execution_id TEXT NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  at           TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  level        TEXT NOT NULL,
  message      TEXT NOT NULL,
  PRIMARY KEY (execution_id, seq)
) WITHOUT ROWID;

CREATE TABLE dead_letters (
  dead_letter_id   TEXT PRIMARY KEY,
  execution_id     TEXT NOT NULL UNIQUE REFERENCES executions (execution_id),
  pipeline         TEXT NOT NULL,
  params_json      TEXT NOT NULL,
  lane             TEXT NOT NULL,
  logical_key      TEXT,
  attempts         INTEGER NOT NULL,
  error_code       TEXT NOT NULL,
  error_message    TEXT NOT NULL,
  error_json       TEXT NOT NULL,
  dead_lettered_at TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('open','retried','discarded')),
  retried_as       TEXT,
  resolved_at      TEXT
);

CREATE INDEX ix_dead_letters_status ON dead_letters (status, dead_letter_id);
