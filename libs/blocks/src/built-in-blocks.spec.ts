import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractDirectory, lazy } from '@orrery/testing';
import { blockSchemaChecksum } from './block-schema.checksum';
import { BUILT_IN_BLOCKS } from './catalogue';

interface ContractBlockType {
  id: string;
  name: string;
  slug: string;
  logo_url: string | null;
  documentation_url: string | null;
  description: string | null;
  code_example: string | null;
  is_protected: boolean;
}

interface ContractBlockSchema {
  checksum: string;
  fields: Record<string, unknown>;
  block_type_id: string;
  capabilities: string[];
  version: string;
}

const contract = lazy(
  () =>
    JSON.parse(readFileSync(join(contractDirectory(), 'core-blocks.json'), 'utf8')) as {
      block_types: ContractBlockType[];
      block_schemas: ContractBlockSchema[];
    },
);

/*
 * Prefect computed these checksums over a larger `definitions` than the fields it stores and
 * returns: nested schemas registered while registering a parent were hashed with every non-block
 * definition of the parent, and a few collection schemas with definitions the server does not
 * keep. They cannot be recomputed from the returned fields, so they are data (compared above).
 */
const CHECKSUMS_OVER_UNSTORED_DEFINITIONS = new Set([
  'sha256:d0c8411280a2529a973b70fb86142959008aad2fe3844c63ab03190e232f776a', // dbt-cli-target-configs non-versioned
  'sha256:35bea1e0ca2277b003ca6d1c220e59ce9a58330934c051fe26a549c2fa380b1f', // snowflake-credentials non-versioned
  'sha256:a8cba7cafe80dd13d0dc167f351c2dda8d17698b02c7a2f9e7e0fceb1da00994', // snowflake-connector non-versioned
  'sha256:a70fca75226dc280c38ab0dda3679d3b0ffdee21af4463f3fb1ad6278405e370', // dbt-cli-snowflake-target-configs non-versioned
  'sha256:f55b0f96cb9e1cf2f508bb882b25d9246b351be8b0ad18140a73281674a40d6d', // dbt-cli-profile 0.4.1
  'sha256:64175f83f2ae15bef7893a4d9a02658f2b5288747d54594ca6d356dc42e9993c', // database-credentials non-versioned
  'sha256:1552a2d5c102961df4082329f39c10b8a51e26ee687148efd6d71ce8be8850c0', // dbt-cli-postgres-target-configs 0.4.1
  'sha256:da1e638612365b12ec83b6102986cc5efe54e84b7144bd668629f6972afe748f', // s3-bucket 0.4.14
]);

describe('built-in block types and schemas', () => {
  const slugById = lazy(() => new Map(contract.block_types.map((t) => [t.id, t.slug])));

  it('defines the 54 block types of a fresh Prefect server with the same fields', () => {
    const ours = BUILT_IN_BLOCKS.map((b) => b.type);
    const theirs = contract.block_types.map(({ id: _id, ...rest }) => {
      const {
        created: _c,
        updated: _u,
        ...type
      } = rest as ContractBlockType & { created: string; updated: string };
      return type;
    });
    expect(ours).toHaveLength(54);
    expect([...ours].sort(bySlug)).toEqual([...theirs].sort(bySlug));
  });

  it('defines the 64 block schemas with the same fields, capabilities, version and checksum', () => {
    const ours = BUILT_IN_BLOCKS.flatMap((b) =>
      b.schemas.map((s) => ({ slug: b.type.slug, ...s, capabilities: [...s.capabilities] })),
    );
    const theirs = contract.block_schemas.map((s) => ({
      slug: slugById.get(s.block_type_id),
      checksum: s.checksum,
      version: s.version,
      capabilities: s.capabilities,
      fields: s.fields,
    }));
    expect(ours).toHaveLength(64);
    expect([...ours].sort(byKey)).toEqual([...theirs].sort(byKey));
  });

  it("recomputes Prefect's checksum from the returned fields of 56 of the 64 schemas", () => {
    let recomputed = 0;
    for (const block of BUILT_IN_BLOCKS) {
      for (const schema of block.schemas) {
        if (CHECKSUMS_OVER_UNSTORED_DEFINITIONS.has(schema.checksum)) continue;
        expect({ slug: block.type.slug, checksum: blockSchemaChecksum(schema.fields) }).toEqual({
          slug: block.type.slug,
          checksum: schema.checksum,
        });
        recomputed += 1;
      }
    }
    expect(recomputed).toBe(56);
  });

  it('protects exactly the system blocks Prefect installs as protected', () => {
    expect(
      BUILT_IN_BLOCKS.filter((b) => b.type.is_protected)
        .map((b) => b.type.slug)
        .sort(),
    ).toEqual(['local-file-system', 'secret', 'webhook']);
  });
});

function bySlug(a: { slug: string }, b: { slug: string }): number {
  return a.slug.localeCompare(b.slug);
}

function byKey(a: { checksum: string; version: string }, b: { checksum: string; version: string }): number {
  return `${a.checksum}@${a.version}`.localeCompare(`${b.checksum}@${b.version}`);
}
