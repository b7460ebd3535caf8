import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PrefectHttpError } from '../http/prefect-http.error';
import { METRICS_SCRAPER, type MetricsScraper } from './ports';

/**
 * `GET /api/metrics`: this replica's OpenTelemetry metrics in the Prometheus text format when
 * `PREFECT_SERVER_METRICS_ENABLED` is on (the process provides METRICS_SCRAPER), 404 otherwise. An
 * ordinary route, so the API's auth applies to it like to every other.
 */
@Controller()
export class MetricsController {
  constructor(@Optional() @Inject(METRICS_SCRAPER) private readonly scraper?: MetricsScraper) {}

  @Get('metrics')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.scraper === undefined) throw PrefectHttpError.notFound();
    const text = await this.scraper.scrape();
    void reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return text;
  }
}
