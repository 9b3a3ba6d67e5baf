-- 002 execution runtime: what executions as grains need beyond the ledger of 001. Attempts and
-- retries, progress, the version every write checks (single writer per execution, optimistic
-- concurrency), the append-only history (execution_events), bounded log lines, and dead letters.
ALTER TABLE executions
  ADD COLUMN attempt             integer NOT NULL DEFAULT 0,
  ADD COLUMN max_attempts        integer NOT NULL DEFAULT 1,
  ADD COLUMN parent_execution_id text,
  ADD COLUMN retry_of            text,
  ADD COLUMN queued_at           timestamptz,
  ADD COLUMN next_attempt_at     timestamptz,
  ADD COLUMN updated_at          timestamptz,
  ADD COLUMN progress_step       text,
  ADD COLUMN progress_completed  bigint,
  ADD COLUMN progress_total      bigint,
  ADD COLUMN retry_json          jsonb,
  ADD COLUMN run_timeout_ms      bigint,
  ADD COLUMN version             bigint NOT NULL DEFAULT 0,
  ADD COLUMN event_count         bigint NOT NULL DEFAULT 0;

CREATE INDEX ix_executions_logical_key_created ON executions (logical_key, created_at) WHERE logical_key IS NOT NULL;
CREATE INDEX ix_executions_parent ON executions (parent_execution_id) WHERE parent_execution_id IS NOT NULL;

-- One row per event; (execution_id, seq) numbers an execution's events from 1 without gaps, so a
-- reader (the API's SSE stream) resumes after the last one it saw.
CREATE TABLE execution_events (
  execution_id text NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  event_type   text NOT NULL,
  at           timestamptz NOT NULL,
  attempt      integer NOT NULL,
  data_json    jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (execution_id, seq)
);

-- "All failures this week" and the like, across executions.
CREATE INDEX ix_execution_events_type_at ON execution_events (event_type, at);

CREATE TABLE execution_logs (
  execution_id text NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  at           timestamptz NOT NULL,
  attempt      integer NOT NULL,
  level        text NOT NULL,
  message      text NOT NULL,
  PRIMARY KEY (execution_id, seq)
);

CREATE TABLE dead_letters (
  dead_letter_id   text PRIMARY KEY,
  execution_id     text NOT NULL UNIQUE REFERENCES executions (execution_id),
  pipeline         text NOT NULL,
  params_json      jsonb NOT NULL,
  lane             text NOT NULL,
  logical_key      text,
  attempts         integer NOT NULL,
  error_code       text NOT NULL,
  error_message    text NOT NULL,
  error_json       jsonb NOT NULL,
  dead_lettered_at timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('open','retried','discarded')),
  retried_as       text,
  resolved_at      timestamptz
);

CREATE INDEX ix_dead_letters_status ON dead_letters (status, dead_letter_id);
