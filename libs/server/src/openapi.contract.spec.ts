import { compareWithContract, summarise } from '@orrery/api';
import { ContractValidator } from '@orrery/testing';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { previewOpenApi } from './openapi-preview';

/**
 * Every (method, path) of Prefect's contract appears in our `/api/openapi.json` with compatible
 * request and response schemas — or the difference is in the reviewed list
 * (libs/api/src/openapi/contract-differences.json), each group with its reason. A new endpoint
 * without documentation, a DTO that stops accepting an upstream field, or a fixed difference
 * still listed all fail here. `ORRERY_WRITE_OPENAPI_DIFFERENCES=1` rewrites the list: new lines
 * land in an UNREVIEWED group, which fails until someone gives them a reason.
 */

const LIST = join(__dirname, '..', '..', 'api', 'src', 'openapi', 'contract-differences.json');
const UNREVIEWED = 'UNREVIEWED: give these a reason or fix them';

interface Group {
  reason: string;
  differences: string[];
}

function readList(): Group[] {
  return existsSync(LIST) ? (JSON.parse(readFileSync(LIST, 'utf8')) as { groups: Group[] }).groups : [];
}

describe('our OpenAPI document against the wire contract', () => {
  let differences: string[];
  beforeAll(async () => {
    const ours = await previewOpenApi();
    const contract = new ContractValidator().document;
    differences = [
      ...compareWithContract(contract as never, ours.document as never),
      ...ours.problems.map((p) => `generator: ${p}`),
    ].sort();
    if (process.env.ORRERY_WRITE_OPENAPI_DIFFERENCES === '1') {
      const current = new Set(differences);
      const groups = readList()
        .map((g) => ({ ...g, differences: g.differences.filter((d) => current.has(d)) }))
        .filter((g) => g.differences.length > 0);
      const listed = new Set(groups.flatMap((g) => g.differences));
      const fresh = differences.filter((d) => !listed.has(d));
      const unreviewed = groups.find((g) => g.reason === UNREVIEWED);
      if (unreviewed !== undefined) unreviewed.differences.push(...fresh);
      else if (fresh.length > 0) groups.push({ reason: UNREVIEWED, differences: fresh });
      for (const g of groups) g.differences.sort();
      writeFileSync(LIST, `${JSON.stringify({ groups }, null, 2)}\n`);
    }
  }, 60_000);

  it('finds every difference in the reviewed list, and every listed one still there', () => {
    const groups = readList();
    const listed = groups.flatMap((g) => g.differences);
    const unlisted = differences.filter((d) => !listed.includes(d));
    const stale = listed.filter((d) => !differences.includes(d));
    const summary = [...summarise(unlisted)].map(([category, n]) => `${n} × ${category}`);
    expect({ unlisted, stale, summary }).toEqual({ unlisted: [], stale: [], summary: [] });
  });

  it('gives each listed difference a reason, once', () => {
    const groups = readList();
    for (const group of groups) {
      expect(group.reason).not.toBe(UNREVIEWED);
      expect(group.reason.length).toBeGreaterThan(20);
    }
    const listed = groups.flatMap((g) => g.differences);
    expect(listed.length).toBe(new Set(listed).size);
  });

  it('reports an operation missing from our document', () => {
    const contract = new ContractValidator().document as never;
    const found = compareWithContract(contract, { paths: {}, components: { schemas: {} } });
    expect(found).toContain('GET /flows/{id}: operation missing');
  });
});
