import { REPO_ROOT } from '@orrery/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { dashboardQueries, readDashboards } from './stack';

/**
 * The dashboards' JSON checked against Grafana's own dashboard schema, as `@grafana/schema` ships
 * it (the `Dashboard` type generated from Grafana's CUE schema): each file becomes an object
 * literal typed `Dashboard`, so a missing required field, a wrong type or an unknown property
 * (excess-property check) fails the compile.
 */
function schemaErrors(name: string, dashboard: unknown): string[] {
  const dir = mkdtempSync(join(REPO_ROOT, 'tools', 'observability', '.schema-check-'));
  try {
    const file = join(dir, `${name.replace(/\W/g, '_')}.ts`);
    writeFileSync(
      file,
      `import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = ${JSON.stringify(dashboard, null, 2)};\n`,
    );
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('shipped Grafana dashboards', () => {
  const dashboards = readDashboards(REPO_ROOT);

  it('are the four of the observability stack', () => {
    expect([...dashboards.keys()]).toEqual([
      'database-runtime.json',
      'events-bus.json',
      'overview.json',
      'scheduling.json',
    ]);
  });

  it("validate against Grafana's dashboard schema", () => {
    const errors = [...dashboards].flatMap(([name, dashboard]) => schemaErrors(name, dashboard));
    expect(errors).toEqual([]);
  }, 60_000);

  it('rejects what the schema forbids (the check can fail)', () => {
    expect(schemaErrors('broken', { title: 'no schemaVersion', panels: [{ title: 'no type' }] })).not.toEqual(
      [],
    );
  }, 60_000);

  it('have unique uids, panels on the Prometheus datasource, and one PromQL expression per target', () => {
    const uids = [...dashboards.values()].map((d) => (d as { uid: string }).uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const q of dashboardQueries(REPO_ROOT)) expect(q.expr.trim()).not.toBe('');
  });
});
