import type { Settings } from '@orrery/config';
import type { OutboxPublisher } from '@orrery/outbox';
import type { BlockSchemaRepository, BlockTypeRepository } from '@orrery/persistence';
import { BlockRegistrationService } from './block-registration.service';
import { BUILT_IN_BLOCKS } from './catalogue';

function fakes() {
  const typeSlugs: string[] = [];
  const schemaChecksums: string[] = [];
  const emitted: string[] = [];
  const types = {
    register: (_manager: unknown, values: { slug: string }) => {
      typeSlugs.push(values.slug);
      return Promise.resolve({ type: { id: `id-${values.slug}`, ...values }, outcome: 'created' });
    },
  } as unknown as BlockTypeRepository;
  const outbox = {
    transaction: (
      work: (manager: unknown, emit: (m: { data: { event: string } }) => void) => Promise<unknown>,
    ) => work({}, (message) => emitted.push(message.data.event)),
  } as unknown as OutboxPublisher;
  const schemas = {
    insertIfAbsent: (values: { checksum: string }) => {
      schemaChecksums.push(values.checksum);
      return Promise.resolve({ created: true });
    },
  } as unknown as BlockSchemaRepository;
  return { types, schemas, outbox, typeSlugs, schemaChecksums, emitted };
}

const settings = (on: boolean) => ({ server: { registerBlocksOnStart: on } }) as unknown as Settings;

describe('BlockRegistrationService', () => {
  it('registers every type, then every schema after the schemas it references', async () => {
    const f = fakes();
    await new BlockRegistrationService(f.types, f.schemas, f.outbox, settings(true)).onApplicationBootstrap();
    expect(f.typeSlugs).toHaveLength(54);
    expect(f.schemaChecksums).toHaveLength(64);
    expect(f.emitted).toHaveLength(54);
    for (const block of BUILT_IN_BLOCKS) {
      for (const schema of block.schemas) {
        const references = (schema.fields['block_schema_references'] ?? {}) as Record<string, unknown>;
        for (const entry of Object.values(references).flat() as { block_schema_checksum: string }[]) {
          const child = f.schemaChecksums.indexOf(entry.block_schema_checksum);
          if (child !== -1) expect(child).toBeLessThan(f.schemaChecksums.indexOf(schema.checksum));
        }
      }
    }
  });

  it('does nothing on start when PREFECT_SERVER_REGISTER_BLOCKS_ON_START is off', async () => {
    const f = fakes();
    await new BlockRegistrationService(
      f.types,
      f.schemas,
      f.outbox,
      settings(false),
    ).onApplicationBootstrap();
    expect(f.typeSlugs).toEqual([]);
  });

  it('installs only the protected system blocks on request', async () => {
    const f = fakes();
    await new BlockRegistrationService(
      f.types,
      f.schemas,
      f.outbox,
      settings(false),
    ).installSystemBlockTypes();
    expect(f.typeSlugs.sort()).toEqual(['local-file-system', 'secret', 'webhook']);
  });
});
