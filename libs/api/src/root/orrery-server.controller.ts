import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { PrefectHttpError } from '../http/prefect-http.error';
import { SERVER_REPORT_SOURCE, type ServerReportSource } from './ports';

/**
 * `GET /api/orrery/server`: Orrery's own, read-only view of the server for its UI's Server page
 * (docs/ui.md). Outside Prefect's resource names, so no Prefect client ever calls it.
 */
@Controller('orrery')
export class OrreryServerController {
  constructor(@Optional() @Inject(SERVER_REPORT_SOURCE) private readonly source: ServerReportSource | null) {}

  @Get('server')
  async server(): Promise<object> {
    if (this.source === null) throw new PrefectHttpError(404, 'Not Found');
    return this.source.report();
  }
}
