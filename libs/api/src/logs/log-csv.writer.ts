import type { Instant } from '@orrery/domain';
import type { LogRecord } from '@orrery/persistence';

/*
 * The CSV of `GET /flow_runs/{id}/logs/download`, byte for byte what Prefect's `csv.writer` (the
 * Excel dialect) writes: `,` separated, `\r\n` line ends, a field quoted only when it holds a comma,
 * a double quote, CR or LF, quotes doubled inside; null as an empty field; the timestamp as Python's
 * `str(datetime)` in UTC.
 */

export const LOG_CSV_HEADER = csvLine(['timestamp', 'level', 'flow_run_id', 'task_run_id', 'message']);

/** One log as a CSV line (with its `\r\n`). */
export function logCsvLine(log: LogRecord): string {
  return csvLine([
    pythonUtcDateTime(log.timestamp),
    String(log.level),
    log.flow_run_id,
    log.task_run_id,
    log.message,
  ]);
}

export function csvLine(fields: ReadonlyArray<string | null>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `2026-01-02 03:04:05.123456+00:00`, or without the fraction when it is zero (Python's `str()`). */
export function pythonUtcDateTime(instant: Instant): string {
  const iso = instant.toISOString(); // 2026-01-02T03:04:05.123456Z
  const fraction = iso.slice(19, 26);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === '.000000' ? '' : fraction}+00:00`;
}
