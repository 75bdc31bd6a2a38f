import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables of docs/design.md#processes-and-layout / issue 2. Written by hand: the schema is reviewed, never synchronized. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indexes (
        uid text PRIMARY KEY,
        primary_key text NULL,
        shards int NOT NULL CHECK (shards > 0),
        state text NOT NULL DEFAULT 'ready' CHECK (state IN ('creating', 'ready', 'deleting')),
        settings_version int NOT NULL DEFAULT 0,
        settings_hash text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE topology (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        version bigint NOT NULL,
        replication_factor int NOT NULL CHECK (replication_factor > 0),
        replica_groups int NOT NULL CHECK (replica_groups > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE nodes (
        id text PRIMARY KEY,
        address text NOT NULL,
        group_id int NOT NULL CHECK (group_id >= 0),
        state text NOT NULL CHECK (state IN ('joining', 'active', 'draining', 'failed', 'removed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE SEQUENCE miroir_task_uid_seq AS bigint START WITH 0 MINVALUE 0`);
    await q.query(`
      CREATE TABLE tasks (
        uid bigint PRIMARY KEY DEFAULT nextval('miroir_task_uid_seq'),
        index_uid text NULL,
        type text NOT NULL,
        status text NOT NULL CHECK (status IN ('enqueued', 'processing', 'succeeded', 'failed', 'canceled')),
        node_tasks jsonb NOT NULL DEFAULT '[]'::jsonb,
        details jsonb NULL,
        error jsonb NULL,
        workflow_id text NULL,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL
      )`);
    await q.query(`ALTER SEQUENCE miroir_task_uid_seq OWNED BY tasks.uid`);
    await q.query(`CREATE INDEX tasks_status_idx ON tasks (status)`);
    await q.query(`CREATE INDEX tasks_index_uid_idx ON tasks (index_uid)`);
    await q.query(`CREATE INDEX tasks_enqueued_at_idx ON tasks (enqueued_at)`);
    await q.query(`
      CREATE TABLE aliases (
        name text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('single', 'multi')),
        targets text[] NOT NULL,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE alias_history (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        targets text[] NOT NULL,
        version int NOT NULL,
        changed_by text NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alias_history_name_idx ON alias_history (name, changed_at)`);
    await q.query(`
      CREATE TABLE tenants (
        id text PRIMARY KEY,
        group_id int NULL,
        api_key_hash bytea NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX tenants_api_key_hash_idx ON tenants (api_key_hash) WHERE api_key_hash IS NOT NULL`);
    await q.query(`
      CREATE TABLE sessions (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('client', 'admin')),
        group_id int NULL,
        pending_task_uid bigint NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        revoked boolean NOT NULL DEFAULT false,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        body_hash text NOT NULL,
        task_uid bigint NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`);
    await q.query(`
      CREATE TABLE canaries (
        name text PRIMARY KEY,
        index_uid text NOT NULL,
        query jsonb NOT NULL,
        assertions jsonb NOT NULL,
        schedule text NOT NULL,
        run_history_limit int NOT NULL DEFAULT 100 CHECK (run_history_limit > 0),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE canary_runs (
        id bigserial PRIMARY KEY,
        canary_name text NOT NULL REFERENCES canaries (name) ON DELETE CASCADE,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        ok boolean NOT NULL,
        failures jsonb NOT NULL DEFAULT '[]'::jsonb
      )`);
    await q.query(`CREATE INDEX canary_runs_canary_started_idx ON canary_runs (canary_name, started_at)`);
    await q.query(`
      CREATE TABLE rollover_policies (
        name text PRIMARY KEY,
        write_alias text NOT NULL,
        read_alias text NOT NULL,
        template jsonb NOT NULL,
        triggers jsonb NOT NULL,
        keep int NOT NULL DEFAULT 3 CHECK (keep > 0),
        safety_age_seconds int NOT NULL DEFAULT 86400,
        schedule text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE cdc_outbox (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        index_uid text NOT NULL,
        operation text NOT NULL,
        primary_keys jsonb NOT NULL DEFAULT '[]'::jsonb,
        shard_ids int[] NOT NULL DEFAULT '{}',
        settings_version int NOT NULL DEFAULT 0,
        task_uid bigint NULL,
        internal boolean NOT NULL DEFAULT false,
        documents jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cdc_outbox_index_seq_idx ON cdc_outbox (index_uid, seq)`);
    await q.query(`
      CREATE TABLE cdc_sinks (
        name text PRIMARY KEY,
        kind text NOT NULL,
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        include_documents boolean NOT NULL DEFAULT false,
        include_internal boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE cdc_cursors (
        sink_name text PRIMARY KEY REFERENCES cdc_sinks (name) ON DELETE CASCADE,
        position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'cdc_cursors', 'cdc_sinks', 'cdc_outbox', 'rollover_policies', 'canary_runs', 'canaries',
      'idempotency_keys', 'sessions', 'tenants', 'alias_history', 'aliases', 'tasks', 'nodes',
      'topology', 'indexes',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS miroir_task_uid_seq`);
  }
}
