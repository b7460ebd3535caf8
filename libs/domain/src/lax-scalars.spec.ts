import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Instant } from './instant';
import {
  laxBool,
  laxDateTime,
  laxDuration,
  laxEnum,
  laxFloat,
  laxInt,
  type LaxResult,
  laxUuid,
} from './lax-scalars';

interface Row {
  kind: 'datetime' | 'duration' | 'uuid' | 'bool' | 'int' | 'float' | 'enum';
  input: unknown;
  ok: boolean;
  output?: unknown;
  type?: string;
}

// Written by running pydantic itself: python3 tools/pydantic-lax/table.py (see that file).
const table = JSON.parse(readFileSync(join(__dirname, 'lax-scalars.table.json'), 'utf8')) as {
  pydantic: string;
  rows: Row[];
};

const PARSERS: Record<Row['kind'], (value: unknown) => LaxResult<unknown>> = {
  datetime: (v) => {
    const r = laxDateTime(v);
    return r.ok ? { ok: true, value: r.value.toISOString() } : r;
  },
  duration: laxDuration,
  uuid: laxUuid,
  bool: laxBool,
  int: laxInt,
  float: laxFloat,
  enum: (v) => laxEnum(v, ['COMPLETED', 'FAILED']),
};

/** Rows where Orrery knowingly differs, and why. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  // Instant keeps microseconds exactly only between the years 1685 and 2255 (a double's 53 bits).
  'datetime 20000000000': 'year 2603: outside the range an Instant holds; a 422 datetime_parsing',
};

describe(`lax scalars agree with pydantic ${table.pydantic} (lax-scalars.table.json)`, () => {
  it('the table covers every kind', () => {
    expect(new Set(table.rows.map((r) => r.kind))).toEqual(new Set(Object.keys(PARSERS)));
  });

  it.each(table.rows.map((row) => [row.kind, JSON.stringify(row.input), row] as const))(
    '%s %s',
    (_kind, _input, row) => {
      const result = PARSERS[row.kind](row.input);
      if (KNOWN_DIFFERENCES[`${row.kind} ${JSON.stringify(row.input)}`] !== undefined) {
        expect(result).toMatchObject({ ok: false, type: 'datetime_parsing' });
      } else if (row.ok) expect(result).toEqual({ ok: true, value: row.output });
      else expect(result).toMatchObject({ ok: false, type: row.type });
    },
  );

  it("answers the SDK's pause_timeout (an epoch float) at the microsecond", () => {
    const r = laxDateTime(1796592552.126133);
    expect(r.ok && r.value.equals(Instant.parse('2026-12-06T21:29:12.126133Z'))).toBe(true);
  });

  it('answers a 422, never a throw, for valid dates beyond what an Instant holds', () => {
    expect(laxDateTime('9999-12-31T00:00:00Z')).toMatchObject({ ok: false, type: 'datetime_parsing' });
    expect(laxDateTime(-1e15)).toMatchObject({ ok: false });
  });

  it('error messages start as pydantic words them', () => {
    expect(laxDateTime(true)).toEqual({
      ok: false,
      type: 'datetime_type',
      msg: 'Input should be a valid datetime',
    });
    expect(laxEnum('x', ['A', 'B', 'C'])).toMatchObject({ msg: "Input should be 'A', 'B' or 'C'" });
  });
});
