import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** Prefect/Python logging level names, as the PREFECT_*_LOGGING_LEVEL settings spell them. */
export type PythonLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

const NEST_LEVELS: Record<PythonLogLevel, LogLevel[]> = {
  DEBUG: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  INFO: ['fatal', 'error', 'warn', 'log'],
  WARNING: ['fatal', 'error', 'warn'],
  ERROR: ['fatal', 'error'],
  CRITICAL: ['fatal'],
};

/** Maps a Python logging level name to the Nest log levels it lets through. */
export function nestLogLevels(level: PythonLogLevel): LogLevel[] {
  return NEST_LEVELS[level];
}

/**
 * The process logger: one line per record, `<ISO time µs> <LEVEL> [<context>] <message>`, on stderr
 * for warnings and errors and stdout otherwise. Plain text on purpose: it is what an operator tails.
 */
export class OrreryLogger extends ConsoleLogger {
  constructor(level: PythonLogLevel = 'INFO') {
    super({ logLevels: nestLogLevels(level), timestamp: false, colors: false });
  }

  /** Access-log lines print at any level, like an HTTP server's access log. */
  access(line: string): void {
    process.stdout.write(`${new Date().toISOString()} INFO    [http] ${line}${traceSuffix()}\n`);
  }

  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    _pidMessage: string,
    _formattedLogLevel: string,
    contextMessage: string,
  ): string {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    const level = logLevel === 'log' ? 'INFO' : logLevel.toUpperCase();
    return `${new Date().toISOString()} ${level.padEnd(7)} ${contextMessage}${text}${traceSuffix()}\n`;
  }
}

/** ` trace_id=… span_id=…` while a sampled span is active (tracing on), else nothing. */
function traceSuffix(): string {
  const context = trace.getActiveSpan()?.spanContext();
  if (context === undefined || !isSpanContextValid(context)) return '';
  return ` trace_id=${context.traceId} span_id=${context.spanId}`;
}
