import { ApiWireResponse, wire, wireModel } from '../openapi/wire-schema';
import { Controller, Get, HttpCode, Inject, Optional, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { API_OPTIONS, API_VERSION, type ApiOptions, SERVER_VERSION } from '../api-options';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import {
  BROKER_PROBE,
  type BrokerProbe,
  CSRF_TOKEN_STORE,
  type CsrfTokenStore,
  DATABASE_PROBE,
  type DatabaseProbe,
} from './ports';
import { ApiQuery } from '@nestjs/swagger';

const READY_TIMEOUT_MS = 2000;

const READY = wireModel('ReadyResponse', { message: wire.string() });

/** `CsrfToken`, as the token store issues it. */
const CSRF_TOKEN = wireModel('CsrfToken', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  token: wire.string(),
  client: wire.string(),
  expiration: wire.dateTime(),
});

/** Server-level endpoints of spec-api-orchestration §8.1: liveness, readiness, versions, CSRF. */
@Controller()
export class RootController {
  constructor(
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
    @Inject(DATABASE_PROBE) private readonly database: DatabaseProbe,
    @Optional() @Inject(CSRF_TOKEN_STORE) private readonly csrf: CsrfTokenStore | null,
    @Optional() @Inject(BROKER_PROBE) private readonly broker: BrokerProbe | null = null,
  ) {}

  /** Liveness: the process answers. Never touches the database. */
  @ApiWireResponse(wire.boolean())
  @Get('health')
  health(): boolean {
    return true;
  }

  /**
   * Readiness: 503 while the database (upstream's check) or the message broker cannot be reached,
   * so a load balancer or Kubernetes stops sending this replica traffic it would fail. Liveness
   * (`/health`) stays true meanwhile: the process is fine, restarting it would not help.
   */
  @ApiWireResponse(READY, { 200: 'Ready', 503: 'The database or the message broker cannot be reached' })
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ message: string }> {
    const [database, broker] = await Promise.all([
      answers(() => this.database.ping()),
      this.broker === null ? Promise.resolve(true) : answers(() => (this.broker as BrokerProbe).ping()),
    ]);
    if (database && broker) return { message: 'OK' };
    void reply.code(503);
    return { message: database ? 'Messaging broker is not available' : 'Database is not available' };
  }

  @ApiWireResponse(wire.string())
  @Get('version')
  version(): string {
    return API_VERSION;
  }

  @ApiWireResponse(wire.string())
  @Get('admin/version')
  serverVersion(): string {
    return SERVER_VERSION;
  }

  @ApiWireResponse(wire.string())
  @Get('hello')
  hello(): string {
    return '👋';
  }

  @ApiQuery({ name: 'client', required: true, schema: { type: 'string' } })
  @ApiWireResponse(CSRF_TOKEN)
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

/** Whether `ping` resolves within READY_TIMEOUT_MS. */
async function answers(ping: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
