import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderError } from './error-response';
import type { RouteTable } from './route-table';

/** Renders every error escaping a handler in Prefect's shapes (see renderError). */
@Catch()
export class PrefectExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('api');

  constructor(
    private readonly routes: RouteTable,
    private readonly bodyLimitBytes?: number,
    private readonly logRetryableErrors = false,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const rendered = renderError(
      exception,
      request,
      (m, p) => this.routes.has(m, p),
      this.logger,
      this.bodyLimitBytes,
      this.logRetryableErrors,
    );
    void reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  }
}
