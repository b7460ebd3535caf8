import { wire, wireModel, type WireOf } from '../openapi/wire-schema';
import type { BlockDocumentView } from '@orrery/blocks';
import type { BlockSchemaRecord, BlockTypeRecord } from '@orrery/persistence';

/** `BlockType` on the wire. */
export const BLOCK_TYPE = wireModel('BlockType', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  slug: wire.string(),
  logo_url: wire.nullable(wire.string()),
  documentation_url: wire.nullable(wire.string()),
  description: wire.nullable(wire.string()),
  code_example: wire.nullable(wire.string()),
  is_protected: wire.boolean(),
});

export function blockTypeResponse(type: BlockTypeRecord): WireOf<typeof BLOCK_TYPE> {
  return {
    id: type.id,
    created: type.created,
    updated: type.updated,
    name: type.name,
    slug: type.slug,
    logo_url: type.logo_url,
    documentation_url: type.documentation_url,
    description: type.description,
    code_example: type.code_example,
    is_protected: type.is_protected,
  };
}

/** `BlockSchema` on the wire, with its block type. */
export const BLOCK_SCHEMA = wireModel('BlockSchema', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  checksum: wire.string(),
  fields: wire.dict(),
  block_type_id: wire.uuid(),
  block_type: BLOCK_TYPE,
  capabilities: wire.array(wire.string()),
  version: wire.string(),
});

export function blockSchemaResponse(
  schema: Omit<BlockSchemaRecord, 'block_type'> & { block_type: BlockTypeRecord },
): WireOf<typeof BLOCK_SCHEMA> {
  return {
    id: schema.id,
    created: schema.created,
    updated: schema.updated,
    checksum: schema.checksum,
    fields: schema.fields,
    block_type_id: schema.block_type_id,
    block_type: blockTypeResponse(schema.block_type),
    capabilities: schema.capabilities,
    version: schema.version,
  };
}

/**
 * `BlockDocument`: an anonymous document has a generated name, so `name` is always a string;
 * `block_document_references` maps each field holding a nested document to that reference.
 */
export const BLOCK_DOCUMENT = wireModel('BlockDocument', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  data: wire.dict(),
  block_schema_id: wire.uuid(),
  block_schema: BLOCK_SCHEMA,
  block_type_id: wire.uuid(),
  block_type_name: wire.nullable(wire.string()),
  block_type: BLOCK_TYPE,
  block_document_references: wire.dict(wire.dict()),
  is_anonymous: wire.boolean(),
});

/** `BlockDocument` on the wire: schema and type embedded, nested documents inline. */
export function blockDocumentResponse(view: BlockDocumentView): WireOf<typeof BLOCK_DOCUMENT> {
  const document = view.document;
  return {
    id: document.id,
    created: document.created,
    updated: document.updated,
    name: document.name,
    data: view.data,
    block_schema_id: document.block_schema_id,
    block_schema: blockSchemaResponse(document.block_schema),
    block_type_id: document.block_type_id,
    block_type_name: document.block_type_name,
    block_type: blockTypeResponse(document.block_type),
    block_document_references: view.block_document_references,
    is_anonymous: document.is_anonymous,
  };
}
