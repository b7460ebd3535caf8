import { execFileSync } from 'node:child_process';
import { previewOpenApi } from './openapi-preview';

/**
 * @seriousme/openapi-schema-validator ships only ES modules, which Jest's module runtime cannot
 * load: it runs in a child Node process, reading the document on stdin.
 */
function validateOpenApi(document: object): { valid: boolean; version: string; errors: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(document),
    cwd: __dirname,
    encoding: 'utf8',
  });
  return JSON.parse(output) as { valid: boolean; version: string; errors: unknown };
}

/** `GET /api/openapi.json` is a valid OpenAPI 3.1 document, generated without problems. */
describe('the OpenAPI document of the API process', () => {
  let built: Awaited<ReturnType<typeof previewOpenApi>>;
  beforeAll(async () => {
    built = await previewOpenApi();
  }, 60_000);

  it('validates against the OpenAPI 3.1 schema', () => {
    const result = validateOpenApi(built.document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
    // the validator can fail: a document without its required `info` is refused
    expect(validateOpenApi({ ...built.document, info: undefined }).valid).toBe(false);
  });

  it('documents every route of the application', () => {
    const operations = Object.values(built.document.paths).flatMap((item) => Object.keys(item));
    expect(operations.length).toBeGreaterThan(180);
    expect(built.document.paths['/flows']?.post?.requestBody).toBeDefined();
    expect(built.document.servers).toEqual([{ url: '/api' }]);
  });

  it('derives DTO schemas from the class-validator decorators', () => {
    const schemas = built.document.components?.schemas ?? {};
    expect(schemas.FlowCreateDto).toMatchObject({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[^/%&><]+$' },
        tags: { type: 'array', items: { type: 'string' }, default: [] },
      },
    });
    // every $ref points at a component
    const text = JSON.stringify(built.document);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      expect(schemas).toHaveProperty([name as string]);
    }
  });
});
