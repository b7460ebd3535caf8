import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { type LogCursor, LogRepository } from '@orrery/persistence';
import { Readable } from 'node:stream';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { LOG_CSV_HEADER, logCsvLine } from './log-csv.writer';

/** Logs fetched per round trip while streaming a download (Prefect pages by 1000 too). */
export const LOG_DOWNLOAD_PAGE_SIZE = 1000;

/** `GET /api/flow_runs/{id}/logs/download`: every log of a run as CSV, oldest first. */
@Controller('flow_runs')
export class FlowRunLogsController {
  constructor(private readonly logs: LogRepository) {}

  /**
   * Streamed: one page of LOG_DOWNLOAD_PAGE_SIZE logs in memory at a time, read lazily as the client
   * drains the response, so a run with millions of lines costs no more than one page.
   */
  @Get(':id/logs/download')
  async download(@Param('id', UuidParamPipe) id: string): Promise<StreamableFile> {
    const runName = await this.logs.flowRunName(id);
    if (runName === null) throw PrefectHttpError.notFound('Flow run not found');
    const body = Readable.from(this.csvChunks(id), { objectMode: false });
    return new StreamableFile(body, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="flow-run-logs.csv"; filename*=UTF-8''${quoteAll(`${runName}-logs.csv`)}`,
    });
  }

  private async *csvChunks(flowRunId: string): AsyncGenerator<string> {
    yield LOG_CSV_HEADER;
    let after: LogCursor | null = null;
    for (;;) {
      const page = await this.logs.pageOfRun(flowRunId, after, LOG_DOWNLOAD_PAGE_SIZE);
      if (page.logs.length > 0) yield page.logs.map(logCsvLine).join('');
      if (page.logs.length < LOG_DOWNLOAD_PAGE_SIZE || page.next === null) return;
      after = page.next;
    }
  }
}

/** Python's `urllib.parse.quote(text, safe="")`: everything but letters, digits and `_.-~` escaped. */
function quoteAll(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
