import { BusBackpressureError } from '@orrery/bus';
import { renderError } from './error-response';
import { Logger } from '@nestjs/common';
import { RequestValidationError } from '@orrery/domain';

const request = { method: 'POST', url: '/api/events' };
const logger = { warn: jest.fn(), error: jest.fn(), debug: jest.fn() } as unknown as Parameters<
  typeof renderError
>[3];
const render = (error: unknown): ReturnType<typeof renderError> =>
  renderError(error, request, () => false, logger);

describe('renderError for dependency outages', () => {
  it('logs a retryable error with its stack only when PREFECT_SERVER_LOG_RETRYABLE_ERRORS is on', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const quiet = { warn: jest.fn(), error: jest.fn(), debug: jest.fn() };
    renderError(refused, request, () => false, quiet as unknown as typeof logger);
    expect(quiet.error).not.toHaveBeenCalled();
    expect(quiet.debug).toHaveBeenCalledTimes(1);
    const loud = { warn: jest.fn(), error: jest.fn(), debug: jest.fn() };
    expect(
      renderError(refused, request, () => false, loud as unknown as typeof logger, undefined, true).status,
    ).toBe(503);
    expect(loud.error).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
    expect(loud.error.mock.calls[0][0]).toContain('    at ');
  });

  const unavailable = {
    status: 503,
    body: { exception_message: 'Service Unavailable' },
    headers: { 'Retry-After': '1' },
  };

  it('answers 503 + Retry-After in Prefect shape when Redis cannot be reached, never 500', () => {
    const gaveUp = Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(render(gaveUp)).toEqual(unavailable);
    expect(render(new Error('Connection is closed.'))).toEqual(unavailable);
    expect(render(new Error('LOADING Redis is loading the dataset in memory'))).toEqual(unavailable);
    expect(render(new BusBackpressureError('events', 30_000))).toEqual(unavailable);
  });

  it('answers 503 + Retry-After when PostgreSQL cannot be reached or is restarting', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(render(refused)).toEqual(unavailable);
    expect(render({ message: 'terminating connection', driverError: { code: '57P01' } })).toEqual(
      unavailable,
    );
    expect(render(new Error('Connection terminated unexpectedly'))).toEqual(unavailable);
    expect(render(new Error('Client has encountered a connection error and is not queryable'))).toEqual(
      unavailable,
    );
  });

  it('keeps an opaque 500 for anything else', () => {
    expect(render(new Error('boom'))).toEqual({
      status: 500,
      body: { exception_message: 'Internal Server Error' },
      headers: {},
    });
  });
});

describe('renderError', () => {
  const logger = new Logger('test');
  beforeAll(() => Logger.overrideLogger(false));
  const never = (): boolean => false;

  it('answers a value the database cannot store (SQLSTATE 54000) with a 422, not a 500', () => {
    const error = Object.assign(new Error('index row size 15728680 exceeds btree version 4 maximum 2704'), {
      driverError: { code: '54000' },
    });
    const rendered = renderError(error, { method: 'POST', url: '/api/flows/' }, never, logger);
    expect(rendered.status).toBe(422);
    expect(JSON.stringify(rendered.body)).not.toContain('btree');
  });

  it('masks block document data in the 422 echo only on block document writes', () => {
    const error = new RequestValidationError([
      { type: 'missing', loc: ['body', 'x'], msg: 'Field required', input: null },
    ]);
    const body = { name: 'n', data: { value: 's3cret', list: ['a', 1, null] } };
    const masked = renderError(
      error,
      { method: 'POST', url: '/api/block_documents/', body, routeOptions: { url: '/api/block_documents/' } },
      never,
      logger,
    );
    expect((masked.body as { request_body: unknown }).request_body).toEqual({
      name: 'n',
      data: { value: '********', list: ['********', '********', null] },
    });
    const plain = renderError(
      error,
      { method: 'POST', url: '/api/variables/', body, routeOptions: { url: '/api/variables/' } },
      never,
      logger,
    );
    expect((plain.body as { request_body: unknown }).request_body).toEqual(body);
  });
});
