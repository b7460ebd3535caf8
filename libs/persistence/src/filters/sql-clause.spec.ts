import { Instant } from '@orrery/domain';
import { arrayLiteral, combine, escapeLike, exists, tagsOverlap, whereSql } from './sql-clause';
import { compileFlowRunWhere, flowRunListQuery } from './flow-run-list.query';
import { SqlParameters } from './sql-parameters';

describe('clause combinators', () => {
  it('AND drops TRUE (null) criteria; nothing left matches everything', () => {
    expect(combine('and_', [])).toBeNull();
    expect(combine(undefined, [null, 'a'])).toBe('a');
    expect(combine('and_', ['a', null, 'b'])).toBe('(a AND b)');
  });

  it('OR: TRUE wins but the other alternatives keep their (already bound) parameters referenced', () => {
    expect(combine('or_', [])).toBeNull();
    expect(combine('or_', [null])).toBeNull();
    expect(combine('or_', ['a', 'b'])).toBe('(a OR b)');
    expect(combine('or_', ['a', null])).toBe('(TRUE OR a)');
    expect(whereSql(null)).toBe('TRUE');
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });

  it('quotes every array element, escaping quotes and backslashes', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a', 'b c', 'say "hi"', 'back\\slash', 'NULL', '{x,y}'])).toBe(
      '{"a","b c","say \\"hi\\"","back\\\\slash","NULL","{x,y}"}',
    );
  });

  it('EXISTS omits an absent clause', () => {
    expect(exists('flow', 'flow.id = flow_run.flow_id', null)).toBe(
      'EXISTS (SELECT 1 FROM flow WHERE flow.id = flow_run.flow_id)',
    );
  });

  it('numbers parameters from the offset and casts them', () => {
    const p = new SqlParameters(2);
    expect(tagsOverlap(p, 't.tags', ['a'])).toBe('t.tags ?| $3::text[]');
    expect(p.next).toBe(4);
    expect(p.values).toEqual(['{"a"}']);
  });
});

describe('flow-run list statement', () => {
  it('binds every value; nothing from the request is spliced into the SQL text', () => {
    const evil = "x'; DROP TABLE flow_run; --";
    const q = flowRunListQuery({
      flow_runs: { name: { like_: evil, any_: [evil] }, tags: { all_: [evil] } },
      sort: 'START_TIME_DESC',
      limit: 10,
      offset: 5,
    });
    expect(q.sql).not.toContain('DROP');
    expect(q.sql).toMatch(
      /ORDER BY COALESCE\(flow_run.start_time, flow_run.expected_start_time\) DESC, flow_run.id DESC LIMIT \$4::int OFFSET \$5::int$/,
    );
    expect(q.params).toEqual([arrayLiteral([evil]), `%${escapeLike(evil)}%`, JSON.stringify([evil]), 10, 5]);
  });

  it('renders instants as microsecond ISO text bound as timestamptz', () => {
    const where = compileFlowRunWhere({
      flow_runs: { start_time: { after_: Instant.parse('2025-01-02 03:04:05.123456+01:00') } },
    });
    expect(where.sql).toBe('COALESCE(flow_run.start_time, flow_run.expected_start_time) >= $1::timestamptz');
    expect(where.params).toEqual(['2025-01-02T02:04:05.123456Z']);
  });
});
