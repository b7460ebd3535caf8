import { Instant, paginated } from '@orrery/domain';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';
import { BLOCK_DOCUMENT_BODY, FLOW_RUN_BODY, LOG_BODY, WORK_POOL_BODY } from './filter-bodies';
import {
  parseBulkBody,
  parseFilterCriteria,
  parseLimit,
  parseListBody,
  parsePaginateBody,
} from './list-body.parser';

const RUN = '0195d3a4-7c1e-7b2a-9f00-000000000001';

function issuesOf(action: () => unknown): ValidationIssue[] {
  try {
    action();
  } catch (error) {
    if (error instanceof RequestValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

function detailOf(action: () => unknown): { status: number; detail: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof PrefectHttpError) return { status: error.getStatus(), detail: error.detail };
    throw error;
  }
  throw new Error('expected a PrefectHttpError');
}

describe('parseListBody', () => {
  it('applies defaults: sort, limit from the setting, offset 0; no body is an empty body', () => {
    expect(parseListBody(FLOW_RUN_BODY, undefined, 200)).toEqual({ sort: 'ID_DESC', limit: 200, offset: 0 });
    expect(parseListBody(FLOW_RUN_BODY, { limit: null, sort: null }, 200)).toEqual({
      sort: 'ID_DESC',
      limit: 200,
      offset: 0,
    });
    expect(parseListBody(WORK_POOL_BODY, {}, 50)).toEqual({ limit: 50, offset: 0 });
  });

  it('treats a null offset as not given (real workers send one)', () => {
    expect(parseListBody(FLOW_RUN_BODY, { offset: null }, 200)).toEqual({
      sort: 'ID_DESC',
      limit: 200,
      offset: 0,
    });
  });

  it('ignores unknown top-level keys but forbids unknown keys inside a filter, at any depth', () => {
    expect(parseListBody(FLOW_RUN_BODY, { whatever: 1, flows: {} }, 200)).toMatchObject({ flows: {} });
    expect(
      issuesOf(() =>
        parseListBody(FLOW_RUN_BODY, { flow_runs: { state: { type: { any_: ['RUNNING'] }, foo: 1 } } }, 200),
      ),
    ).toEqual([
      {
        type: 'extra_forbidden',
        loc: ['body', 'flow_runs', 'state', 'foo'],
        msg: 'Extra inputs are not permitted',
        input: 1,
      },
    ]);
    expect(issuesOf(() => parseListBody(FLOW_RUN_BODY, { work_pool_queues: { bar: true } }, 200))).toEqual([
      {
        type: 'extra_forbidden',
        loc: ['body', 'work_pool_queues', 'bar'],
        msg: 'Extra inputs are not permitted',
        input: true,
      },
    ]);
  });

  it('parses any ISO-8601 datetime into an Instant and names a bad one', () => {
    const parsed = parseListBody(
      FLOW_RUN_BODY,
      { flow_runs: { start_time: { after_: '2025-01-02 03:04:05.5+01:00', before_: '2025-01-03' } } },
      200,
    );
    expect(parsed.flow_runs?.start_time?.after_).toBeInstanceOf(Instant);
    expect(parsed.flow_runs?.start_time?.after_?.toISOString()).toBe('2025-01-02T02:04:05.500000Z');
    expect(parsed.flow_runs?.start_time?.before_?.toISOString()).toBe('2025-01-03T00:00:00.000000Z');
    expect(
      issuesOf(() =>
        parseListBody(FLOW_RUN_BODY, { flow_runs: { start_time: { after_: 'yesterday' } } }, 200),
      ),
    ).toEqual([
      {
        type: 'datetime_from_date_parsing',
        loc: ['body', 'flow_runs', 'start_time', 'after_'],
        msg: 'Input should be a valid datetime or date',
        input: 'yesterday',
      },
    ]);
  });

  it('enums are strict: state types, operators and sorts list the allowed values', () => {
    const issues = issuesOf(() =>
      parseListBody(
        FLOW_RUN_BODY,
        {
          sort: 'id_desc',
          flow_runs: { operator: 'xor', state: { type: { any_: ['RUNNING', 'running'] } } },
        },
        200,
      ),
    );
    expect(issues.map((i) => [i.type, i.loc, i.input])).toEqual([
      ['enum', ['body', 'sort'], 'id_desc'],
      ['enum', ['body', 'flow_runs', 'operator'], 'xor'],
      ['enum', ['body', 'flow_runs', 'state', 'type', 'any_', 1], 'running'],
    ]);
    expect(issues[1]!.msg).toBe("Input should be 'and_' or 'or_'");
    expect(issues[0]!.msg).toContain("'ID_DESC', 'START_TIME_ASC'");
    expect(issues[0]!.msg).toMatch(/ or 'END_TIME_DESC'$/);
  });

  it('validates UUID lists item by item, and lists and objects by type', () => {
    const issues = issuesOf(() =>
      parseListBody(
        FLOW_RUN_BODY,
        {
          flow_runs: { id: { any_: [RUN, 'nope', 7] }, tags: { all_: 'prod' }, state: 'RUNNING' },
          deployments: [],
        },
        200,
      ),
    );
    expect(issues.map((i) => [i.type, i.loc])).toEqual([
      ['uuid_parsing', ['body', 'flow_runs', 'id', 'any_', 1]],
      ['uuid_type', ['body', 'flow_runs', 'id', 'any_', 2]],
      ['list_type', ['body', 'flow_runs', 'tags', 'all_']],
      ['model_attributes_type', ['body', 'flow_runs', 'state']],
      ['model_attributes_type', ['body', 'deployments']],
    ]);
  });

  it('limit: < 0 and > default answer {"detail"} 422s before anything else; non-integers are issues', () => {
    expect(detailOf(() => parseListBody(FLOW_RUN_BODY, { limit: -1, flow_runs: { foo: 1 } }, 200))).toEqual({
      status: 422,
      detail: 'Invalid limit: must be greater than or equal to 0.',
    });
    expect(detailOf(() => parseListBody(FLOW_RUN_BODY, { limit: 201 }, 200))).toEqual({
      status: 422,
      detail: 'Invalid limit: must be less than or equal to 200.',
    });
    expect(detailOf(() => parseLimit(60, 50)).detail).toBe(
      'Invalid limit: must be less than or equal to 50.',
    );
    expect(parseListBody(FLOW_RUN_BODY, { limit: 0 }, 200).limit).toBe(0);
    expect(parseListBody(FLOW_RUN_BODY, { limit: '7' }, 200).limit).toBe(7);
    expect(issuesOf(() => parseListBody(FLOW_RUN_BODY, { limit: 2.5, offset: -1 }, 200))).toEqual([
      {
        type: 'int_from_float',
        loc: ['body', 'limit'],
        msg: 'Input should be a valid integer, got a number with a fractional part',
        input: 2.5,
      },
      {
        type: 'greater_than_equal',
        loc: ['body', 'offset'],
        msg: 'Input should be greater than or equal to 0',
        input: -1,
        ctx: { ge: 0 },
      },
    ]);
    expect(issuesOf(() => parseLimit('ten', 200))[0]!.type).toBe('int_parsing');
  });

  it('refuses a body that is not an object', () => {
    expect(issuesOf(() => parseListBody(FLOW_RUN_BODY, [1], 200))).toEqual([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: [1],
      },
    ]);
  });

  it('log text queries are at most 200 characters and need a query', () => {
    expect(
      parseListBody(LOG_BODY, { logs: { text: { query: 'error -debug' } } }, 200).logs?.text?.query,
    ).toBe('error -debug');
    expect(
      issuesOf(() => parseListBody(LOG_BODY, { logs: { text: { query: 'x'.repeat(201) } } }, 200))[0],
    ).toMatchObject({
      type: 'string_too_long',
      loc: ['body', 'logs', 'text', 'query'],
    });
    expect(issuesOf(() => parseListBody(LOG_BODY, { logs: { text: {} } }, 200))[0]).toMatchObject({
      type: 'missing',
      loc: ['body', 'logs', 'text', 'query'],
    });
  });

  it('keeps an absent block-document is_anonymous undefined (hidden by default) and an explicit null', () => {
    const absent = parseListBody(BLOCK_DOCUMENT_BODY, { block_documents: { name: { like_: 'x' } } }, 200);
    expect(absent.block_documents?.is_anonymous).toBeUndefined();
    expect(absent.sort).toBe('NAME_ASC');
    const lifted = parseListBody(BLOCK_DOCUMENT_BODY, { block_documents: { is_anonymous: null } }, 200);
    expect(lifted.block_documents?.is_anonymous).toBeNull();
  });
});

describe('parsePaginateBody, parseFilterCriteria, parseBulkBody', () => {
  it('paginate: page ≥ 1 (default 1) turns into an offset', () => {
    expect(parsePaginateBody(FLOW_RUN_BODY, { page: 3, limit: 10 }, 200)).toEqual({
      sort: 'ID_DESC',
      limit: 10,
      page: 3,
      offset: 20,
    });
    expect(parsePaginateBody(FLOW_RUN_BODY, {}, 200)).toEqual({
      sort: 'ID_DESC',
      limit: 200,
      page: 1,
      offset: 0,
    });
    expect(issuesOf(() => parsePaginateBody(FLOW_RUN_BODY, { page: 0 }, 200))[0]).toMatchObject({
      type: 'greater_than_equal',
      loc: ['body', 'page'],
      ctx: { ge: 1 },
    });
  });

  it('paginated(): pages = ceil(count / limit), 0 when the limit is 0', () => {
    expect(paginated(['a'], 21, { limit: 10, page: 3 })).toEqual({
      results: ['a'],
      count: 21,
      limit: 10,
      pages: 3,
      page: 3,
    });
    expect(paginated([], 5, { limit: 0, page: 1 }).pages).toBe(0);
    expect(paginated([], 0, { limit: 10, page: 1 }).pages).toBe(0);
  });

  it('count bodies read only the filter keys', () => {
    expect(
      parseFilterCriteria(FLOW_RUN_BODY, { limit: 5000, sort: 'bogus', flows: { name: { any_: ['a'] } } }),
    ).toEqual({
      flows: { name: { any_: ['a'] } },
    });
  });

  it('bulk bodies take a limit of 1–50 (default 50) as a plain validation error', () => {
    expect(parseBulkBody(FLOW_RUN_BODY, {})).toEqual({ limit: 50 });
    expect(issuesOf(() => parseBulkBody(FLOW_RUN_BODY, { limit: 51 }))[0]).toMatchObject({
      type: 'less_than_equal',
      ctx: { le: 50 },
    });
    expect(issuesOf(() => parseBulkBody(FLOW_RUN_BODY, { limit: 0 }))[0]).toMatchObject({
      type: 'greater_than_equal',
      ctx: { ge: 1 },
    });
  });
});
