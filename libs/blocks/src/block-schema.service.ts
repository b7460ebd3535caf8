import { Injectable } from '@nestjs/common';
import { type BlockSchemaRecord, BlockSchemaRepository, BlockTypeRepository } from '@orrery/persistence';
import type { EntityManager } from 'typeorm';
import {
  blockSchemaChecksum,
  type Json,
  nonBlockDefinitions,
  referenceStrings,
} from './block-schema.checksum';
import { MissingBlockTypeError } from './missing-block-type.error';

type JsonObject = Record<string, unknown>;

export interface BlockSchemaInput {
  readonly fields: JsonObject;
  readonly block_type_id: string;
  readonly capabilities: readonly string[];
  readonly version: string;
}

/**
 * `POST /block_schemas/` (upstream `create_block_schema`): the checksum is computed here, an
 * existing (checksum, version) is returned as is, and nested blocks named in
 * `block_schema_references` that are not registered yet are created from the parent's definitions
 * (version `non-versioned`, checksum over the parent's definitions, as upstream) before the parent
 * links to them. A nested block whose type is unknown fails with MissingBlockTypeError.
 */
@Injectable()
export class BlockSchemaService {
  constructor(
    private readonly schemas: BlockSchemaRepository,
    private readonly types: BlockTypeRepository,
  ) {}

  async create(input: BlockSchemaInput): Promise<{ schema: BlockSchemaRecord; created: boolean }> {
    const checksum = blockSchemaChecksum(input.fields);
    const existing = await this.schemas.getByChecksum(checksum, input.version);
    if (existing !== null) return { schema: existing, created: false };
    return this.schemas.transaction(async (manager) => {
      await this.registerNested(manager, input.fields, definitionsOf(input.fields));
      return this.schemas.insertIfAbsent({ ...input, checksum }, manager);
    });
  }

  private async registerNested(
    manager: EntityManager,
    fields: JsonObject,
    definitions: JsonObject | undefined,
  ): Promise<void> {
    const references = (fields['block_schema_references'] ?? {}) as JsonObject;
    for (const [name, value] of Object.entries(references)) {
      for (const entry of (Array.isArray(value) ? value : [value]) as JsonObject[]) {
        const slug = entry['block_type_slug'];
        const childChecksum = entry['block_schema_checksum'];
        if (typeof slug !== 'string' || typeof childChecksum !== 'string') continue;
        const type = await this.types.getBySlug(slug, manager);
        if (type === null) throw new MissingBlockTypeError(slug);
        if ((await this.schemas.getByChecksum(childChecksum, null, manager)) !== null) continue;
        const childFields =
          definitions === undefined ? undefined : childDefinition(fields, name, slug, definitions);
        if (childFields === undefined) continue; // nothing to build it from; upstream fails later too
        await this.registerNested(manager, childFields, definitions);
        const withDefinitions = { ...childFields, definitions };
        const kept = nonBlockDefinitions(withDefinitions as Json, definitions as { [key: string]: Json });
        const stored: JsonObject = { ...childFields };
        if (Object.keys(kept).length > 0) stored['definitions'] = kept;
        await this.schemas.insertIfAbsent(
          {
            checksum: blockSchemaChecksum(withDefinitions),
            fields: stored,
            block_type_id: type.id,
            capabilities: [],
            version: 'non-versioned',
          },
          manager,
        );
      }
    }
  }
}

function definitionsOf(fields: JsonObject): JsonObject | undefined {
  const definitions = fields['definitions'];
  return typeof definitions === 'object' && definitions !== null && !Array.isArray(definitions)
    ? (definitions as JsonObject)
    : undefined;
}

/** The definition a property's `$ref`s point at; for a union, the one of the wanted block type. */
function childDefinition(
  fields: JsonObject,
  property: string,
  slug: string,
  definitions: JsonObject,
): JsonObject | undefined {
  const spec = ((fields['properties'] ?? {}) as JsonObject)[property];
  const keys = referenceStrings((spec ?? null) as Json)
    .filter((ref): ref is string => typeof ref === 'string')
    .map((ref) => ref.replace('#/definitions/', ''));
  const candidates = keys
    .map((key) => definitions[key])
    .filter((d): d is JsonObject => typeof d === 'object' && d !== null);
  if (candidates.length === 1) return candidates[0];
  return candidates.find((d) => d['block_type_slug'] === slug);
}
