-- 100_actors_runtime: the tables of the MarketSpine.Actors runtime (grain state and reminders),
-- for the single-node mode. Same tables and meaning as sql/postgres/100_actors_runtime.sql;
-- SQLite has no timestamptz, so times are INTEGER Unix milliseconds (the runtime keeps reminder
-- times to the millisecond on every backend), and state is JSON text.
-- Forward-only; the migrations runner applies it inside a transaction.

-- grain_type holds '<grain type>/<state name>'; every write is one conditional INSERT or UPDATE on etag.
CREATE TABLE grain_state (
    grain_type  TEXT    NOT NULL,
    grain_key   TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    etag        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key)
);

-- See the PostgreSQL migration for the meaning of each column.
CREATE TABLE grain_reminders (
    grain_type           TEXT    NOT NULL,
    grain_key            TEXT    NOT NULL,
    reminder_name        TEXT    NOT NULL,
    schedule_kind        TEXT    NOT NULL CHECK (schedule_kind IN ('periodic', 'once', 'cron')),
    due_at               INTEGER,
    period_ms            INTEGER CHECK (period_ms > 0),
    cron_expression      TEXT,
    time_zone            TEXT,
    missed_policy        TEXT    NOT NULL CHECK (missed_policy IN ('skip', 'fire_once', 'catch_up')),
    catch_up_limit       INTEGER NOT NULL,
    missed_threshold_ms  INTEGER NOT NULL,
    next_due             INTEGER,
    last_acked_due       INTEGER,
    claimed_by           TEXT,
    claimed_until        INTEGER,
    etag                 TEXT    NOT NULL,
    updated_at           INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name),
    CHECK ((schedule_kind = 'periodic' AND due_at IS NOT NULL AND period_ms IS NOT NULL)
        OR (schedule_kind = 'once' AND due_at IS NOT NULL)
        OR (schedule_kind = 'cron' AND cron_expression IS NOT NULL AND time_zone IS NOT NULL))
);

-- The reminder poll reads due rows in next_due order.
CREATE INDEX grain_reminders_next_due ON grain_reminders (next_due) WHERE next_due IS NOT NULL;
