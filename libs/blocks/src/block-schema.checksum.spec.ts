import { blockSchemaChecksum } from './block-schema.checksum';

// Expected values computed by Prefect 3.8.3's own `Block._calculate_schema_checksum` on the same
// dicts (src/prefect/blocks/core.py, `_get_non_block_reference_definitions`).
describe('blockSchemaChecksum', () => {
  it("drops an empty definition, as upstream's truthiness test does (the SDK's Secret block)", () => {
    const fields = {
      title: 'T',
      type: 'object',
      properties: {
        value: {
          title: 'Value',
          anyOf: [
            { type: 'string', format: 'password', writeOnly: true },
            { $ref: '#/definitions/JsonValue' },
          ],
        },
      },
      required: ['value'],
      block_type_slug: 't',
      secret_fields: ['value'],
      definitions: { JsonValue: {} },
    };
    expect(blockSchemaChecksum(fields)).toBe(
      'sha256:dd1b1747dfd0402fd61e3f5923f5491206d575c1e89ebb31d952fa399990ae38',
    );
  });

  it('keeps the non-empty definitions beside a dropped empty one, followed transitively', () => {
    const fields = {
      title: 'T',
      type: 'object',
      properties: { a: { $ref: '#/definitions/E' }, b: { $ref: '#/definitions/F' } },
      definitions: {
        E: {},
        F: { title: 'F', type: 'object', properties: { x: { $ref: '#/definitions/E' } } },
      },
    };
    expect(blockSchemaChecksum(fields)).toBe(
      'sha256:ac3acc2f588477b6b9060327a370799495f4078643e0e04264b5fb15ab264416',
    );
  });
});
