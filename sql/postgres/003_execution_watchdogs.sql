-- 003 execution watchdogs: whether an unfinished execution has its durable watchdog reminder yet.
-- Why: most executions end within seconds, and registering and removing a reminder for each was two
-- of the five statements an execution cost. Now an execution gets its watchdog only once it has gone
-- a watchdog period unfinished (the execution sweeper finds it here, by this flag and updated_at) or
-- when it needs one from the start (queued behind a logical key, or for another process to run).
-- Executions unfinished at this upgrade had theirs registered at submission. Forward-only; the
-- migrations runner applies it in a transaction.
ALTER TABLE executions ADD COLUMN watched boolean NOT NULL DEFAULT false;

UPDATE executions SET watched = true WHERE status NOT IN ('completed', 'cancelled', 'dead_lettered');
