import { combineStatements, StatementBatch } from './statement-batch';
import type { EntityManager } from 'typeorm';

describe('combineStatements', () => {
  it('leaves a single statement as it is', () => {
    const one = { sql: 'UPDATE t SET a = $2 WHERE id = $1', params: [1, 2] };
    expect(combineStatements([one])).toBe(one);
  });

  it('makes each statement a CTE and renumbers its placeholders after the previous ones', () => {
    const combined = combineStatements([
      { sql: 'INSERT INTO s (id, v) VALUES ($1, $2::jsonb)', params: ['a', '{}'] },
      { sql: 'UPDATE r SET s = $2, n = $3 WHERE id = $1', params: ['r', 'a', 3] },
      { sql: 'INSERT INTO o (d) SELECT x FROM jsonb_to_recordset($1::jsonb) AS m(x int)', params: ['[]'] },
    ]);
    expect(combined.sql).toBe(
      'WITH w0 AS (INSERT INTO s (id, v) VALUES ($1, $2::jsonb)), ' +
        'w1 AS (UPDATE r SET s = $4, n = $5 WHERE id = $3), ' +
        'w2 AS (INSERT INTO o (d) SELECT x FROM jsonb_to_recordset($6::jsonb) AS m(x int)) SELECT 1',
    );
    expect(combined.params).toEqual(['a', '{}', 'r', 'a', 3, '[]']);
  });

  it('renumbers two-digit placeholders as numbers, not as text', () => {
    const params = Array.from({ length: 12 }, (_, i) => i);
    const combined = combineStatements([
      { sql: 'SELECT $1', params: [0] },
      { sql: 'SELECT $12, $1', params },
    ]);
    expect(combined.sql).toContain('w1 AS (SELECT $13, $2)');
  });
});

describe('StatementBatch', () => {
  function recordingManager(): { manager: EntityManager; sent: string[] } {
    const sent: string[] = [];
    const manager = {
      query: (sql: string) => {
        sent.push(sql);
        return Promise.resolve([]);
      },
    } as unknown as EntityManager;
    return { manager, sent };
  }

  it('sends nothing until flushed, then everything in one statement', async () => {
    const { manager, sent } = recordingManager();
    const batch = new StatementBatch(manager);
    await batch.add('INSERT INTO a VALUES ($1)', [1]);
    await batch.add('INSERT INTO b VALUES ($1)', [2]);
    expect(sent).toHaveLength(0);
    await batch.flush();
    expect(sent).toHaveLength(1);
    await batch.flush();
    expect(sent).toHaveLength(1);
  });

  it('flushes before a second write to a row a pending statement already writes', async () => {
    const { manager, sent } = recordingManager();
    const batch = new StatementBatch(manager);
    await batch.add('UPDATE r SET a = $2 WHERE id = $1', ['x', 1], 'r:x');
    await batch.add('UPDATE r SET a = $2 WHERE id = $1', ['y', 1], 'r:y');
    expect(sent).toHaveLength(0);
    await batch.add('UPDATE r SET b = $2 WHERE id = $1', ['x', 2], 'r:x');
    expect(sent).toHaveLength(1);
    expect(batch.size).toBe(1);
  });
});
