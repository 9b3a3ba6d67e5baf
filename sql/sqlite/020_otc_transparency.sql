-- 020 FINRA OTC weekly transparency. Each publication of a (week, tier) is a capture, keyed by
-- its lastUpdateDate; no capture overwrites another. Every row carries lineage: its capture,
-- the three clocks (week_ending = business week, source_update = FINRA's publication date,
-- captured_at = when we stored it, UTC) and the source file and line it came from.
-- Dates are 'yyyy-MM-dd' text; decimals are text (SQLite has no exact decimal type). Tables keep
-- their rowid: with rows of ~300 bytes, WITHOUT ROWID measured 1.9x slower to bulk load.
CREATE TABLE otc_captures (
  capture_id      TEXT PRIMARY KEY,
  week_ending     TEXT NOT NULL,
  tier            TEXT NOT NULL CHECK (tier IN ('NMS_TIER_1','NMS_TIER_2','OTC')),
  source_update   TEXT NOT NULL,
  captured_at     TEXT NOT NULL,
  source_file     TEXT NOT NULL,
  source_sha256   TEXT NOT NULL,
  week_source     TEXT NOT NULL CHECK (week_source IN ('requested','publication')),
  row_count       INTEGER NOT NULL,
  execution_id    TEXT,
  normalized_at   TEXT,
  accepted_count  INTEGER,
  rejected_count  INTEGER,
  summarized_at   TEXT,
  UNIQUE (week_ending, tier, source_update)
);

-- The file as published, one row per data line. Its lineage is its capture (one capture per
-- file): the clocks and the file are on otc_captures, not repeated on each of 250,000 rows,
-- which halved the cost of loading a week (docs/benchmarks.md). Derived rows carry them all.
CREATE TABLE otc_raw (
  capture_id        TEXT NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  source_line       INTEGER NOT NULL,
  tier_description  TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  issue_name        TEXT NOT NULL,
  venue_name        TEXT NOT NULL,
  mpid              TEXT NOT NULL,
  share_volume      INTEGER NOT NULL,
  trade_count       INTEGER NOT NULL,
  last_update_date  TEXT NOT NULL,
  PRIMARY KEY (capture_id, source_line)
);

-- Validated rows: one per (symbol, venue) of a capture.
CREATE TABLE otc_venue_volume (
  capture_id      TEXT NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  symbol          TEXT NOT NULL,
  mpid            TEXT NOT NULL,
  week_ending     TEXT NOT NULL,
  tier            TEXT NOT NULL,
  issue_name      TEXT NOT NULL,
  venue_name      TEXT NOT NULL,
  share_volume    INTEGER NOT NULL,
  trade_count     INTEGER NOT NULL,
  avg_trade_size  TEXT,
  source_update   TEXT NOT NULL,
  captured_at     TEXT NOT NULL,
  source_file     TEXT NOT NULL,
  source_line     INTEGER NOT NULL,
  PRIMARY KEY (capture_id, symbol, mpid)
);

-- Rows the normalizer refused, with the reason and the line as published.
CREATE TABLE otc_rejects (
  capture_id     TEXT NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  source_line    INTEGER NOT NULL,
  reason_code    TEXT NOT NULL,
  reason_detail  TEXT NOT NULL,
  raw_line       TEXT NOT NULL,
  week_ending    TEXT NOT NULL,
  tier           TEXT NOT NULL,
  source_update  TEXT NOT NULL,
  captured_at    TEXT NOT NULL,
  source_file    TEXT NOT NULL,
  PRIMARY KEY (capture_id, source_line)
);

CREATE TABLE otc_symbol_summary (
  capture_id      TEXT NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  symbol          TEXT NOT NULL,
  week_ending     TEXT NOT NULL,
  tier            TEXT NOT NULL,
  issue_name      TEXT NOT NULL,
  total_shares    INTEGER NOT NULL,
  total_trades    INTEGER NOT NULL,
  venue_count     INTEGER NOT NULL,
  avg_trade_size  TEXT,
  source_update   TEXT NOT NULL,
  captured_at     TEXT NOT NULL,
  source_file     TEXT NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);

CREATE TABLE otc_venue_share (
  capture_id      TEXT NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  mpid            TEXT NOT NULL,
  week_ending     TEXT NOT NULL,
  tier            TEXT NOT NULL,
  venue_name      TEXT NOT NULL,
  total_shares    INTEGER NOT NULL,
  total_trades    INTEGER NOT NULL,
  symbol_count    INTEGER NOT NULL,
  share_pct       TEXT NOT NULL,
  rank            INTEGER NOT NULL,
  avg_trade_size  TEXT,
  source_update   TEXT NOT NULL,
  captured_at     TEXT NOT NULL,
  source_file     TEXT NOT NULL,
  PRIMARY KEY (capture_id, mpid)
);

-- The capture a reader sees by default: per (week, tier), the latest publication that has
-- been summarized. Plain SQL users query these views instead of repeating the rule.
CREATE VIEW otc_captures_latest AS
SELECT c.*
FROM otc_captures c
WHERE c.summarized_at IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM otc_captures n
    WHERE n.week_ending = c.week_ending AND n.tier = c.tier
      AND n.summarized_at IS NOT NULL AND n.source_update > c.source_update);

CREATE VIEW otc_symbol_summary_latest AS
SELECT s.* FROM otc_symbol_summary s JOIN otc_captures_latest l ON l.capture_id = s.capture_id;

CREATE VIEW otc_venue_share_latest AS
SELECT v.* FROM otc_venue_share v JOIN otc_captures_latest l ON l.capture_id = v.capture_id;
