-- 001 executions: the ledger of every run, with its parameters, status, timings and result
-- envelope, so plain SQL answers "all failed executions this week".
CREATE TABLE executions (
  execution_id    text PRIMARY KEY,
  pipeline        text NOT NULL,
  params_json     jsonb NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending','queued','running','completed','failed','cancelling','cancelled','dead_lettered')),
  lane            text NOT NULL,
  trigger_source  text NOT NULL,
  logical_key     text,
  idempotency_key text UNIQUE,
  created_at      timestamptz NOT NULL,
  started_at      timestamptz,
  completed_at    timestamptz,
  duration_ms     bigint,
  metrics_json    jsonb NOT NULL DEFAULT '{}',
  outputs_json    jsonb NOT NULL DEFAULT '{}',
  quality_json    jsonb NOT NULL DEFAULT '[]',
  reject_count    bigint NOT NULL DEFAULT 0,
  error_code      text,
  error_message   text,
  error_json      jsonb
);

-- Listing is newest first, filtered by status or pipeline.
CREATE INDEX ix_executions_created ON executions (created_at);
CREATE INDEX ix_executions_status_created ON executions (status, created_at);
CREATE INDEX ix_executions_pipeline_created ON executions (pipeline, created_at);
