import { Instant } from '@orrery/domain';
import type { LogRecord } from '@orrery/persistence';
import { LOG_CSV_HEADER, logCsvLine, pythonUtcDateTime } from './log-csv.writer';

function log(message: string, overrides: Partial<LogRecord> = {}): LogRecord {
  const at = Instant.parse('2026-01-02T03:04:05.123456Z');
  return {
    id: '01900000-0000-7000-8000-000000000001',
    created: at,
    updated: at,
    name: 'prefect.flow_runs',
    level: 20,
    message,
    timestamp: at,
    flow_run_id: '01900000-0000-7000-8000-0000000000aa',
    task_run_id: null,
    ...overrides,
  };
}

describe('log CSV writer (Python csv.writer, Excel dialect)', () => {
  it('writes the header and a plain row with CRLF, null as an empty field', () => {
    expect(LOG_CSV_HEADER).toBe('timestamp,level,flow_run_id,task_run_id,message\r\n');
    expect(logCsvLine(log('hello world'))).toBe(
      '2026-01-02 03:04:05.123456+00:00,20,01900000-0000-7000-8000-0000000000aa,,hello world\r\n',
    );
  });

  it.each([
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line one\nline two', '"line one\nline two"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['"', '""""'],
    ['', ''],
  ])('quotes %j as %j', (message, field) => {
    const line = logCsvLine(log(message, { task_run_id: '01900000-0000-7000-8000-0000000000bb' }));
    expect(line).toBe(
      `2026-01-02 03:04:05.123456+00:00,20,01900000-0000-7000-8000-0000000000aa,01900000-0000-7000-8000-0000000000bb,${field}\r\n`,
    );
  });

  it("prints timestamps as Python's str(datetime): no fraction when it is zero", () => {
    expect(pythonUtcDateTime(Instant.parse('2026-01-02T03:04:05Z'))).toBe('2026-01-02 03:04:05+00:00');
    expect(pythonUtcDateTime(Instant.parse('2026-01-02T03:04:05.000001+02:00'))).toBe(
      '2026-01-02 01:04:05.000001+00:00',
    );
  });
});
