import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@orrery/outbox';
import type { BlockDocumentCriteria, BlockDocumentSort, ListRequest } from '@orrery/domain';
import type { EntityManager } from 'typeorm';
import {
  BlockDocumentCycleError,
  type BlockDocumentLink,
  type BlockDocumentNode,
  type BlockDocumentRecord,
  BlockDocumentRepository,
  BlockSchemaRepository,
  BlockTypeRepository,
} from '@orrery/persistence';
import type { BlockDataCipher } from './block-data.cipher';
import { blockDocumentEvent } from './block-document.events';
import { BlockEncryptionKey } from './block-encryption.key';
import { InvalidBlockDocumentError } from './invalid-block-document.error';
import { maskSecretFields, restoreObfuscatedSecrets } from './secret-fields.mask';

type JsonObject = Record<string, unknown>;

/** A block document as read: data decrypted, nested documents inline, secrets masked unless asked. */
export interface BlockDocumentView {
  readonly document: BlockDocumentRecord;
  readonly data: JsonObject;
  readonly block_document_references: JsonObject;
}

export interface BlockDocumentInput {
  readonly name: string | null;
  readonly data: JsonObject;
  readonly block_schema_id: string;
  readonly block_type_id: string;
  readonly is_anonymous: boolean;
}

export interface BlockDocumentPatch {
  readonly block_schema_id?: string | null;
  readonly data?: JsonObject;
  readonly merge_existing_data: boolean;
}

/**
 * Block documents (spec §7.6): `data` is encrypted at rest; values written as
 * `{"$ref": {"block_document_id": …}}` become block_document_reference rows and read back as the
 * referenced document's data inline; `secret_fields` of each document's schema are masked unless
 * `include_secrets`. Each write commits with its `prefect.block-document.*` event (transactional
 * outbox); anonymous documents emit none, as upstream.
 */
@Injectable()
export class BlockDocumentService {
  constructor(
    private readonly documents: BlockDocumentRepository,
    private readonly types: BlockTypeRepository,
    private readonly schemas: BlockSchemaRepository,
    private readonly key: BlockEncryptionKey,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** Returns null when the block type already has a document of that name. */
  async create(input: BlockDocumentInput): Promise<BlockDocumentView | null> {
    if ((await this.types.get(input.block_type_id)) === null)
      throw new InvalidBlockDocumentError(`Block type ${input.block_type_id} not found`);
    const { data, references } = separateReferences(input.data);
    const cipher = await this.key.get();
    return this.outbox.transaction(async (manager, emit) => {
      const id = await this.documents.insert(manager, {
        name: input.is_anonymous && !input.name ? `anonymous-${randomUUID()}` : (input.name ?? ''),
        data: cipher.encrypt(data),
        is_anonymous: input.is_anonymous,
        block_type_id: input.block_type_id,
        block_schema_id: input.block_schema_id,
        references,
      });
      if (id === null) return null;
      const [created] = await this.assemble([id], false, manager);
      if (created === undefined) throw new Error(`block document ${id} vanished after insert`);
      if (!created.document.is_anonymous) emit(blockDocumentEvent('created', created.document, created.data));
      return created;
    });
  }

  async read(id: string, includeSecrets: boolean): Promise<BlockDocumentView | null> {
    return (await this.assemble([id], includeSecrets))[0] ?? null;
  }

  /** What `Block.load` calls: `GET /block_types/slug/{slug}/block_documents/name/{name}`. */
  async readByName(slug: string, name: string, includeSecrets: boolean): Promise<BlockDocumentView | null> {
    const id = await this.documents.idBySlugAndName(slug, name);
    return id === null ? null : this.read(id, includeSecrets);
  }

  async list(
    request: ListRequest<BlockDocumentCriteria, BlockDocumentSort>,
    includeSecrets: boolean,
  ): Promise<BlockDocumentView[]> {
    return this.assemble(await this.documents.listIds(request), includeSecrets);
  }

  count(criteria: BlockDocumentCriteria): Promise<number> {
    return this.documents.count(criteria);
  }

  /** Returns false when there is no such document. */
  async update(id: string, patch: BlockDocumentPatch): Promise<boolean> {
    const cipher = await this.key.get();
    try {
      return await this.outbox.transaction(async (manager, emit) => {
        if (!(await this.documents.lock(manager, id))) return false;
        const current = (await this.documents.trees([id], manager)).find(
          (n) => n.parent_id === null,
        )?.document;
        if (current === undefined) return false;
        // Upstream changes nothing unless data comes with the update (merging leaves absent data out).
        const incoming = patch.data ?? (patch.merge_existing_data ? undefined : {});
        if (incoming !== undefined) await this.applyData(manager, cipher, current, incoming, patch);
        const [updated] = await this.assemble([id], false, manager);
        if (updated !== undefined && !updated.document.is_anonymous)
          emit(blockDocumentEvent('updated', updated.document, updated.data));
        return true;
      });
    } catch (error) {
      if (error instanceof BlockDocumentCycleError) throw new InvalidBlockDocumentError(error.message);
      throw error;
    }
  }

  /** Returns false when there is no such document. */
  async delete(id: string): Promise<boolean> {
    await this.key.get(); // read (or create) the key outside the transaction
    return this.outbox.transaction(async (manager, emit) => {
      const [doomed] = await this.assemble([id], false, manager);
      if (doomed === undefined) return false;
      const deleted = await this.documents.delete(manager, id);
      if (deleted && !doomed.document.is_anonymous)
        emit(blockDocumentEvent('deleted', doomed.document, doomed.data));
      return deleted;
    });
  }

  private async applyData(
    manager: EntityManager,
    cipher: BlockDataCipher,
    current: BlockDocumentRecord,
    incoming: JsonObject,
    patch: BlockDocumentPatch,
  ): Promise<void> {
    const stored = cipher.decrypt(String(current.data));
    let data = restoreObfuscatedSecrets(incoming, stored, secretFieldsOf(current));
    if (patch.merge_existing_data) data = { ...stored, ...data };
    const separated = separateReferences(data);
    let schemaId: string | undefined;
    if (patch.block_schema_id != null && patch.block_schema_id !== current.block_schema_id) {
      const schema = await this.schemas.get(patch.block_schema_id, manager);
      if (schema === null)
        throw new InvalidBlockDocumentError(`Block schema ${patch.block_schema_id} not found`);
      if (schema.block_type_id !== current.block_type_id)
        throw new InvalidBlockDocumentError(
          'Must migrate block document to a block schema of the same block type.',
        );
      schemaId = schema.id;
    }
    await this.documents.update(manager, current.id, {
      data: cipher.encrypt(separated.data),
      references: separated.references,
      ...(schemaId === undefined ? {} : { block_schema_id: schemaId }),
    });
  }

  private async assemble(
    ids: readonly string[],
    includeSecrets: boolean,
    manager?: EntityManager,
  ): Promise<BlockDocumentView[]> {
    if (ids.length === 0) return [];
    const nodes = await this.documents.trees(ids, manager);
    const cipher = await this.key.get();
    const build = (document: BlockDocumentRecord, depth: number): BlockDocumentView => {
      const decrypted = cipher.decrypt(String(document.data));
      const data = includeSecrets ? decrypted : maskSecretFields(decrypted, secretFieldsOf(document));
      const references: JsonObject = {};
      for (const child of childrenOf(nodes, document.id)) {
        if (depth >= 50) throw new Error('block document reference graph exceeds max depth 50');
        const full = build(child.document, depth + 1);
        data[child.name ?? ''] = full.data;
        references[child.name ?? ''] = {
          block_document: {
            id: child.document.id,
            name: child.document.name,
            block_type: child.document.block_type,
            is_anonymous: child.document.is_anonymous,
            block_document_references: full.block_document_references,
          },
        };
      }
      return { document, data, block_document_references: references };
    };
    const roots = new Map<string, BlockDocumentRecord>();
    for (const node of nodes) if (node.parent_id === null) roots.set(node.document.id, node.document);
    return ids.flatMap((id) => {
      const root = roots.get(id);
      return root === undefined ? [] : [build(root, 0)];
    });
  }
}

function childrenOf(nodes: readonly BlockDocumentNode[], parentId: string): BlockDocumentNode[] {
  const seen = new Set<string>();
  return nodes.filter((node) => {
    if (node.parent_id !== parentId || node.name === null) return false;
    const key = `${node.name}\u0000${node.document.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function secretFieldsOf(document: BlockDocumentRecord): string[] {
  const fields = document.block_schema.fields['secret_fields'];
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
}

/** Top-level `{"$ref": {"block_document_id": …}}` values become references (as upstream assumes). */
function separateReferences(input: JsonObject): { data: JsonObject; references: BlockDocumentLink[] } {
  const data: JsonObject = {};
  const references: BlockDocumentLink[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && '$ref' in value) {
      const ref = (value as { $ref: unknown }).$ref;
      const id =
        typeof ref === 'object' && ref !== null
          ? (ref as { block_document_id?: unknown }).block_document_id
          : undefined;
      if (id === undefined || id === null)
        throw new InvalidBlockDocumentError(
          `Received block reference without a block_document_id in key ${key}`,
        );
      if (
        typeof id !== 'string' ||
        !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
      )
        throw new InvalidBlockDocumentError(`Invalid block_document_id in key ${key}`);
      references.push({ name: key, block_document_id: id.toLowerCase() });
    } else {
      data[key] = value;
    }
  }
  return { data, references };
}
