-- 100_actors_runtime: the tables of the MarketSpine.Actors runtime (grain state and reminders).
-- Why: grains keep durable state fenced by ETag, and reminders must survive restarts and be
-- shared by every silo of a cluster, so both live in PostgreSQL, the cluster's shared truth
-- (Orleans' ADO.NET providers make the same choice). Numbers 100-199 belong to the runtime.
-- Forward-only; the migrations runner applies it inside a transaction.

-- One row per stored grain state. grain_type holds '<grain type>/<state name>' so that a grain may
-- keep several named states under this two-column key (Orleans' ADO.NET storage also keys rows by
-- the state name). etag is an opaque, never-reused token: every write is a single conditional
-- INSERT ... ON CONFLICT DO NOTHING or UPDATE ... WHERE etag = <expected>.
CREATE TABLE grain_state (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    state       jsonb       NOT NULL,
    etag        text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key)
);

-- One row per registered reminder. schedule_kind says which columns describe the schedule:
-- 'periodic' (due_at = first due, period_ms), 'once' (due_at), 'cron' (cron_expression, time_zone:
-- an IANA zone). next_due is the next tick to deliver (NULL: nothing left); last_acked_due only
-- moves forward, and a tick due at or before it is never delivered again. A silo claims a due row
-- by setting claimed_by and a lease in claimed_until; acknowledgements are conditional on the claim
-- and on etag, which changes whenever the grain registers the reminder again.
CREATE TABLE grain_reminders (
    grain_type           text        NOT NULL,
    grain_key            text        NOT NULL,
    reminder_name        text        NOT NULL,
    schedule_kind        text        NOT NULL CHECK (schedule_kind IN ('periodic', 'once', 'cron')),
    due_at               timestamptz,
    period_ms            bigint      CHECK (period_ms > 0),
    cron_expression      text,
    time_zone            text,
    missed_policy        text        NOT NULL CHECK (missed_policy IN ('skip', 'fire_once', 'catch_up')),
    catch_up_limit       integer     NOT NULL,
    missed_threshold_ms  bigint      NOT NULL,
    next_due             timestamptz,
    last_acked_due       timestamptz,
    claimed_by           text,
    claimed_until        timestamptz,
    etag                 text        NOT NULL,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name),
    CHECK ((schedule_kind = 'periodic' AND due_at IS NOT NULL AND period_ms IS NOT NULL)
        OR (schedule_kind = 'once' AND due_at IS NOT NULL)
        OR (schedule_kind = 'cron' AND cron_expression IS NOT NULL AND time_zone IS NOT NULL))
);

-- Every silo polls "WHERE next_due <= now ... ORDER BY next_due LIMIT n FOR UPDATE SKIP LOCKED"
-- about once a second; this partial index keeps that an index range scan however many reminders
-- exist (finished reminders, next_due NULL, are deleted and so never in it).
CREATE INDEX grain_reminders_next_due ON grain_reminders (next_due) WHERE next_due IS NOT NULL;
