import { Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { OutboxPublisher } from '@orrery/outbox';
import { BlockSchemaRepository, BlockTypeRepository } from '@orrery/persistence';
import { blockTypeEvent } from './block-type.events';
import type { BuiltInBlock } from './built-in-block';
import { BUILT_IN_BLOCKS } from './catalogue';

/**
 * Registers the built-in block types and schemas (`PREFECT_SERVER_REGISTER_BLOCKS_ON_START`) so
 * `secret`, `webhook`, `slack-webhook` … exist on a fresh server. Every replica may run it at
 * once: types upsert on their slug writing only when something differs, schemas insert with
 * ON CONFLICT DO NOTHING on (checksum, version).
 */
@Injectable()
export class BlockRegistrationService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BlockRegistrationService.name);
  private readonly enabled: boolean;

  constructor(
    private readonly types: BlockTypeRepository,
    private readonly schemas: BlockSchemaRepository,
    private readonly outbox: OutboxPublisher,
    // Without settings (in-process test apps) behave like a default server: register.
    @Optional() @InjectSettings() settings?: Settings,
  ) {
    this.enabled = settings?.server.registerBlocksOnStart ?? true;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const started = Date.now();
    await this.register(BUILT_IN_BLOCKS);
    this.logger.log(`registered ${BUILT_IN_BLOCKS.length} block types in ${Date.now() - started} ms`);
  }

  /** `POST /block_types/install_system_block_types`: the protected system blocks only. */
  installSystemBlockTypes(): Promise<void> {
    return this.register(BUILT_IN_BLOCKS.filter((block) => block.type.is_protected));
  }

  /**
   * One transaction: replicas racing through it take the same rows in the same (catalogue) order,
   * so they queue rather than deadlock, and whoever comes second finds everything in place. Types
   * that were created or changed emit `prefect.block-type.*`; an unchanged catalogue writes nothing.
   */
  async register(blocks: readonly BuiltInBlock[]): Promise<void> {
    await this.outbox.transaction(async (manager, emit) => {
      const typeIds = new Map<string, string>();
      for (const block of blocks) {
        const { type, outcome } = await this.types.register(manager, block.type);
        if (outcome !== 'unchanged') emit(blockTypeEvent(outcome, type));
        typeIds.set(block.type.slug, type.id);
      }
      // Referenced schemas before the ones that name them, so block_schema_reference rows find
      // their targets.
      for (const { slug, schema } of referencesFirst(blocks)) {
        const blockTypeId = typeIds.get(slug);
        if (blockTypeId !== undefined)
          await this.schemas.insertIfAbsent({ ...schema, block_type_id: blockTypeId }, manager);
      }
    });
  }
}

/** The schemas ordered so that every schema comes after the schemas its references name. */
function referencesFirst(
  blocks: readonly BuiltInBlock[],
): { slug: string; schema: BuiltInBlock['schemas'][number] }[] {
  const pending = blocks.flatMap((block) =>
    block.schemas.map((schema) => ({ slug: block.type.slug, schema })),
  );
  const known = new Set(pending.map((entry) => entry.schema.checksum));
  const placed = new Set<string>();
  const ordered: typeof pending = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((entry) =>
      referencedChecksums(entry.schema.fields).every((c) => placed.has(c) || !known.has(c)),
    );
    // A reference cycle cannot come from Python classes; place the rest as they are if it did.
    const [entry] = pending.splice(ready === -1 ? 0 : ready, 1);
    if (entry === undefined) break;
    placed.add(entry.schema.checksum);
    ordered.push(entry);
  }
  return ordered;
}

function referencedChecksums(fields: Record<string, unknown>): string[] {
  const references = (fields['block_schema_references'] ?? {}) as Record<string, unknown>;
  return Object.values(references)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .map((entry) => (entry as { block_schema_checksum?: unknown } | null)?.block_schema_checksum)
    .filter((checksum): checksum is string => typeof checksum === 'string');
}
