import { SqlMigration } from './sql-migration';

/**
 * Blocks, variables, concurrency limits (v1 legacy and v2), saved searches, configuration and CSRF
 * tokens (spec-api-orchestration §2.4), plus the foreign keys from flow_run and deployment to
 * block_document and concurrency_limit_v2.
 */
export class BlocksConcurrencyAndMisc1795300200000 extends SqlMigration {
  name = 'BlocksConcurrencyAndMisc1795300200000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE TABLE block_type (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    slug text NOT NULL,
    logo_url text,
    documentation_url text,
    description text,
    code_example text,
    is_protected boolean NOT NULL DEFAULT false,
    CONSTRAINT pk_block_type PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_block_type__updated ON block_type (updated)`,
  `CREATE UNIQUE INDEX uq_block_type__slug ON block_type (slug)`,
  `CREATE INDEX trgm_ix_block_type_name ON block_type USING gin (name gin_trgm_ops)`,

  `CREATE TABLE block_schema (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    checksum text NOT NULL,
    fields jsonb NOT NULL DEFAULT '{}',
    capabilities jsonb NOT NULL DEFAULT '[]',
    version text NOT NULL DEFAULT 'non-versioned',
    block_type_id uuid NOT NULL,
    CONSTRAINT pk_block_schema PRIMARY KEY (id),
    CONSTRAINT fk_block_schema__block_type_id__block_type FOREIGN KEY (block_type_id) REFERENCES block_type (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_block_schema__updated ON block_schema (updated)`,
  `CREATE UNIQUE INDEX uq_block_schema__checksum_version ON block_schema (checksum, version)`,
  `CREATE INDEX ix_block_schema__block_type_id ON block_schema (block_type_id)`,
  `CREATE INDEX ix_block_schema__created ON block_schema (created)`,
  // Serves the capabilities @> '["…"]' filter.
  `CREATE INDEX ix_block_schema__capabilities ON block_schema USING gin (capabilities)`,

  // Some constraint names below are cut at PostgreSQL's 63-byte identifier limit, as they are in Prefect.
  `CREATE TABLE block_schema_reference (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    parent_block_schema_id uuid NOT NULL,
    reference_block_schema_id uuid NOT NULL,
    CONSTRAINT pk_block_schema_reference PRIMARY KEY (id),
    CONSTRAINT fk_block_schema_reference__parent_block_schema_id__block_schema FOREIGN KEY (parent_block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_schema_reference__reference_block_schema_id__block_sch FOREIGN KEY (reference_block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_block_schema_reference__updated ON block_schema_reference (updated)`,

  `CREATE TABLE block_document (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}',
    is_anonymous boolean NOT NULL DEFAULT false,
    block_type_name text,
    block_type_id uuid NOT NULL,
    block_schema_id uuid NOT NULL,
    CONSTRAINT pk_block_document PRIMARY KEY (id),
    CONSTRAINT fk_block_document__block_type_id__block_type FOREIGN KEY (block_type_id) REFERENCES block_type (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_document__block_schema_id__block_schema FOREIGN KEY (block_schema_id) REFERENCES block_schema (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_block_document__updated ON block_document (updated)`,
  `CREATE UNIQUE INDEX uq_block__type_id_name ON block_document (block_type_id, name)`,
  `CREATE INDEX ix_block_document__block_type_name__name ON block_document (block_type_name, name)`,
  `CREATE INDEX ix_block_document__name ON block_document (name)`,
  `CREATE INDEX ix_block_document__is_anonymous ON block_document (is_anonymous)`,
  `CREATE INDEX trgm_ix_block_document_name ON block_document USING gin (name gin_trgm_ops)`,

  `CREATE TABLE block_document_reference (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    parent_block_document_id uuid NOT NULL,
    reference_block_document_id uuid NOT NULL,
    CONSTRAINT pk_block_document_reference PRIMARY KEY (id),
    CONSTRAINT ck_block_document_reference__no_self_reference CHECK (parent_block_document_id <> reference_block_document_id),
    CONSTRAINT fk_block_document_reference__parent_block_document_id__block_do FOREIGN KEY (parent_block_document_id) REFERENCES block_document (id) ON DELETE CASCADE,
    CONSTRAINT fk_block_document_reference__reference_block_document_id__block FOREIGN KEY (reference_block_document_id) REFERENCES block_document (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_block_document_reference__updated ON block_document_reference (updated)`,

  `ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__infrastructure_document_id__block_document FOREIGN KEY (infrastructure_document_id) REFERENCES block_document (id) ON DELETE CASCADE`,
  `ALTER TABLE deployment ADD CONSTRAINT fk_deployment__infrastructure_document_id__block_document FOREIGN KEY (infrastructure_document_id) REFERENCES block_document (id) ON DELETE CASCADE`,
  `ALTER TABLE deployment ADD CONSTRAINT fk_deployment__storage_document_id__block_document FOREIGN KEY (storage_document_id) REFERENCES block_document (id) ON DELETE CASCADE`,

  `CREATE TABLE variable (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    value jsonb,
    tags jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT pk_variable PRIMARY KEY (id),
    CONSTRAINT uq_variable__name UNIQUE (name)
  )`,
  `CREATE INDEX ix_variable__updated ON variable (updated)`,

  // v1 (legacy): only read to migrate pre-existing data; the v1 API is an adapter over v2 "tag:" rows.
  `CREATE TABLE concurrency_limit (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    tag text NOT NULL,
    concurrency_limit integer NOT NULL,
    active_slots jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT pk_concurrency_limit PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_concurrency_limit__updated ON concurrency_limit (updated)`,
  `CREATE UNIQUE INDEX uq_concurrency_limit__tag ON concurrency_limit (tag)`,

  `CREATE TABLE concurrency_limit_v2 (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    active boolean NOT NULL DEFAULT true,
    name text NOT NULL,
    "limit" integer NOT NULL,
    active_slots integer NOT NULL DEFAULT 0,
    denied_slots integer NOT NULL DEFAULT 0,
    slot_decay_per_second double precision NOT NULL DEFAULT 0,
    avg_slot_occupancy_seconds double precision NOT NULL DEFAULT 2,
    CONSTRAINT pk_concurrency_limit_v2 PRIMARY KEY (id),
    CONSTRAINT uq_concurrency_limit_v2__name UNIQUE (name)
  )`,
  `CREATE INDEX ix_concurrency_limit_v2__updated ON concurrency_limit_v2 (updated)`,
  `ALTER TABLE deployment ADD CONSTRAINT fk_deployment__concurrency_limit_id__concurrency_limit_v2 FOREIGN KEY (concurrency_limit_id) REFERENCES concurrency_limit_v2 (id) ON DELETE SET NULL`,

  `CREATE TABLE saved_search (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    filters jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT pk_saved_search PRIMARY KEY (id),
    CONSTRAINT uq_saved_search__name UNIQUE (name)
  )`,
  `CREATE INDEX ix_saved_search__updated ON saved_search (updated)`,

  `CREATE TABLE configuration (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    key text NOT NULL,
    value jsonb NOT NULL,
    CONSTRAINT pk_configuration PRIMARY KEY (id),
    CONSTRAINT uq_configuration__key UNIQUE (key)
  )`,
  `CREATE INDEX ix_configuration__updated ON configuration (updated)`,

  `CREATE TABLE csrf_token (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    token text NOT NULL,
    client text NOT NULL,
    expiration timestamptz NOT NULL,
    CONSTRAINT pk_csrf_token PRIMARY KEY (id),
    CONSTRAINT uq_csrf_token__client UNIQUE (client)
  )`,
  `CREATE INDEX ix_csrf_token__updated ON csrf_token (updated)`,
];

const DOWN = [
  `DROP TABLE csrf_token`,
  `DROP TABLE configuration`,
  `DROP TABLE saved_search`,
  `ALTER TABLE deployment DROP CONSTRAINT fk_deployment__concurrency_limit_id__concurrency_limit_v2`,
  `DROP TABLE concurrency_limit_v2`,
  `DROP TABLE concurrency_limit`,
  `DROP TABLE variable`,
  `ALTER TABLE deployment DROP CONSTRAINT fk_deployment__storage_document_id__block_document`,
  `ALTER TABLE deployment DROP CONSTRAINT fk_deployment__infrastructure_document_id__block_document`,
  `ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__infrastructure_document_id__block_document`,
  `DROP TABLE block_document_reference`,
  `DROP TABLE block_document`,
  `DROP TABLE block_schema_reference`,
  `DROP TABLE block_schema`,
  `DROP TABLE block_type`,
];
