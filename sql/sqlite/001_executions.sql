-- 001 executions: the ledger of every run, with its parameters, status, timings and result
-- envelope, so plain SQL answers "all failed executions this week". Timestamps are UTC text
-- (ISO 8601, +00:00), which sorts in time order.
CREATE TABLE executions (
  execution_id    TEXT PRIMARY KEY,
  pipeline        TEXT NOT NULL,
  params_json     TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending','queued','running','completed','failed','cancelling','cancelled','dead_lettered')),
  lane            TEXT NOT NULL,
  trigger_source  TEXT NOT NULL,
  logical_key     TEXT,
  idempotency_key TEXT UNIQUE,
  created_at      TEXT NOT NULL,
  started_at      TEXT,
  completed_at    TEXT,
  duration_ms     INTEGER,
  metrics_json    TEXT NOT NULL DEFAULT '{}',
  outputs_json    TEXT NOT NULL DEFAULT '{}',
  quality_json    TEXT NOT NULL DEFAULT '[]',
  reject_count    INTEGER NOT NULL DEFAULT 0,
  error_code      TEXT,
  error_message   TEXT,
  error_json      TEXT
);

-- Listing is newest first, filtered by status or pipeline.
CREATE INDEX ix_executions_created ON executions (created_at);
CREATE INDEX ix_executions_status_created ON executions (status, created_at);
CREATE INDEX ix_executions_pipeline_created ON executions (pipeline, created_at);
