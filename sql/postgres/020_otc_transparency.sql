-- 020 FINRA OTC weekly transparency. Each publication of a (week, tier) is a capture, keyed by
-- its lastUpdateDate; no capture overwrites another. Every row carries lineage: its capture,
-- the three clocks (week_ending = business week, source_update = FINRA's publication date,
-- captured_at = when we stored it, UTC) and the source file and line it came from.
-- Keyed by (capture) and so by (week, tier, capture): the domain shards on those keys.
CREATE TABLE otc_captures (
  capture_id      text PRIMARY KEY,
  week_ending     date NOT NULL,
  tier            text NOT NULL CHECK (tier IN ('NMS_TIER_1','NMS_TIER_2','OTC')),
  source_update   date NOT NULL,
  captured_at     timestamptz NOT NULL,
  source_file     text NOT NULL,
  source_sha256   text NOT NULL,
  week_source     text NOT NULL CHECK (week_source IN ('requested','publication')),
  row_count       integer NOT NULL,
  execution_id    text,
  normalized_at   timestamptz,
  accepted_count  integer,
  rejected_count  integer,
  summarized_at   timestamptz,
  UNIQUE (week_ending, tier, source_update)
);

-- The file as published, one row per data line. Its lineage is its capture (one capture per
-- file): the clocks and the file are on otc_captures, not repeated on each of 250,000 rows,
-- which halved the cost of loading a week (docs/benchmarks.md). Derived rows carry them all.
CREATE TABLE otc_raw (
  capture_id        text NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  source_line       bigint NOT NULL,
  tier_description  text NOT NULL,
  symbol            text NOT NULL,
  issue_name        text NOT NULL,
  venue_name        text NOT NULL,
  mpid              text NOT NULL,
  share_volume      bigint NOT NULL,
  trade_count       bigint NOT NULL,
  last_update_date  date NOT NULL,
  PRIMARY KEY (capture_id, source_line)
);

-- Validated rows: one per (symbol, venue) of a capture.
CREATE TABLE otc_venue_volume (
  capture_id      text NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  symbol          text NOT NULL,
  mpid            text NOT NULL,
  week_ending     date NOT NULL,
  tier            text NOT NULL,
  issue_name      text NOT NULL,
  venue_name      text NOT NULL,
  share_volume    bigint NOT NULL,
  trade_count     bigint NOT NULL,
  avg_trade_size  numeric(20,2),
  source_update   date NOT NULL,
  captured_at     timestamptz NOT NULL,
  source_file     text NOT NULL,
  source_line     bigint NOT NULL,
  PRIMARY KEY (capture_id, symbol, mpid)
);

-- Rows the normalizer refused, with the reason and the line as published.
CREATE TABLE otc_rejects (
  capture_id     text NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  source_line    bigint NOT NULL,
  reason_code    text NOT NULL,
  reason_detail  text NOT NULL,
  raw_line       text NOT NULL,
  week_ending    date NOT NULL,
  tier           text NOT NULL,
  source_update  date NOT NULL,
  captured_at    timestamptz NOT NULL,
  source_file    text NOT NULL,
  PRIMARY KEY (capture_id, source_line)
);

CREATE TABLE otc_symbol_summary (
  capture_id      text NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  symbol          text NOT NULL,
  week_ending     date NOT NULL,
  tier            text NOT NULL,
  issue_name      text NOT NULL,
  total_shares    bigint NOT NULL,
  total_trades    bigint NOT NULL,
  venue_count     integer NOT NULL,
  avg_trade_size  numeric(20,2),
  source_update   date NOT NULL,
  captured_at     timestamptz NOT NULL,
  source_file     text NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);

CREATE TABLE otc_venue_share (
  capture_id      text NOT NULL REFERENCES otc_captures (capture_id) ON DELETE CASCADE,
  mpid            text NOT NULL,
  week_ending     date NOT NULL,
  tier            text NOT NULL,
  venue_name      text NOT NULL,
  total_shares    bigint NOT NULL,
  total_trades    bigint NOT NULL,
  symbol_count    integer NOT NULL,
  share_pct       numeric(9,4) NOT NULL,
  rank            integer NOT NULL,
  avg_trade_size  numeric(20,2),
  source_update   date NOT NULL,
  captured_at     timestamptz NOT NULL,
  source_file     text NOT NULL,
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
