-- 101_actors_cluster: cluster membership and the grain directory of the MarketSpine.Actors runtime.
-- Why: a cluster of silos needs one shared truth of which silos are alive (failure detection) and
-- of where each grain's single activation lives (strict single activation across silos). Both live
-- in PostgreSQL beside grain state, as in Orleans' ADO.NET clustering and grain directory, so a
-- silo needs no other coordinator. Forward-only; the migrations runner applies it in a transaction.

-- One row per silo incarnation: a restarted pod keeps its name and gets a new generation (its start
-- time in Unix milliseconds), so its predecessor's row and directory rows stay distinguishable.
-- endpoint is where the silo's transport accepts calls ('10.1.2.3:11111'). status moves forward only:
-- joining -> active -> shutting_down -> dead. heartbeat_at is renewed every heartbeat by the silo
-- itself, with an UPDATE conditional on status <> 'dead', so a silo learns it was declared dead the
-- moment its renewal touches no row. Any peer declares a silo dead whose heartbeat is older than the
-- death timeout with one conditional UPDATE (status <> 'dead'); row locks make the second of two
-- racing peers match nothing. activation_count feeds the least-activations placement.
CREATE TABLE cluster_silos (
    silo_name         text        NOT NULL,
    generation        bigint      NOT NULL,
    endpoint          text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('joining', 'active', 'shutting_down', 'dead')),
    heartbeat_at      timestamptz NOT NULL,
    started_at        timestamptz NOT NULL,
    activation_count  integer     NOT NULL DEFAULT 0,
    declared_dead_by  text,
    PRIMARY KEY (silo_name, generation)
);

-- One row per grain with a live activation: the first silo to insert it wins (INSERT ... ON CONFLICT),
-- and a silo activates a grain only if its own activation won. A row whose silo is dead counts as
-- absent and is replaced by a conditional upsert. activation_id tells an activation from its
-- successor on the same silo, so an unregistration removes only its own row.
CREATE TABLE grain_directory (
    grain_type       text        NOT NULL,
    grain_key        text        NOT NULL,
    silo_name        text        NOT NULL,
    silo_generation  bigint      NOT NULL,
    activation_id    uuid        NOT NULL,
    registered_at    timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key)
);

-- Declaring a silo dead deletes all of its directory rows in the same statement; without this index
-- that DELETE scans every grain of the cluster while the dead silo's grains wait to come back.
CREATE INDEX grain_directory_silo ON grain_directory (silo_name, silo_generation);
