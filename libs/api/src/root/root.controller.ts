import { Controller, Get, HttpCode, Inject, Optional, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { API_OPTIONS, API_VERSION, type ApiOptions, SERVER_VERSION } from '../api-options';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { CSRF_TOKEN_STORE, type CsrfTokenStore, DATABASE_PROBE, type DatabaseProbe } from './ports';

const READY_TIMEOUT_MS = 2000;

/** Server-level endpoints of spec-api-orchestration §8.1: liveness, readiness, versions, CSRF. */
@Controller()
export class RootController {
  constructor(
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
    @Inject(DATABASE_PROBE) private readonly database: DatabaseProbe,
    @Optional() @Inject(CSRF_TOKEN_STORE) private readonly csrf: CsrfTokenStore | null,
  ) {}

  /** Liveness: the process answers. Never touches the database. */
  @Get('health')
  health(): boolean {
    return true;
  }

  /** Readiness: 503 while the database cannot be reached, so a load balancer drains this replica. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ message: string }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.database.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
        }),
      ]);
      return { message: 'OK' };
    } catch {
      void reply.code(503);
      return { message: 'Database is not available' };
    } finally {
      clearTimeout(timer);
    }
  }

  @Get('version')
  version(): string {
    return API_VERSION;
  }

  @Get('admin/version')
  serverVersion(): string {
    return SERVER_VERSION;
  }

  @Get('hello')
  hello(): string {
    return '👋';
  }

  @Get('csrf-token')
  @HttpCode(200)
  async csrfToken(@Query('client') client: string | undefined): Promise<object> {
    if (!this.options.csrfEnabled || this.csrf === null) {
      throw PrefectHttpError.unprocessable('CSRF protection is disabled.');
    }
    if (client === undefined || client === '') {
      throw new RequestValidationError([
        { type: 'missing', loc: ['query', 'client'], msg: 'Field required', input: null },
      ]);
    }
    return this.csrf.issue(client, this.options.csrfTokenExpirationSeconds);
  }
}
