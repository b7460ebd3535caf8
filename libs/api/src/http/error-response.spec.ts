import { BusBackpressureError } from '@orrery/bus';
import { renderError } from './error-response';

const request = { method: 'POST', url: '/api/events' };
const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Parameters<typeof renderError>[3];
const render = (error: unknown): ReturnType<typeof renderError> =>
  renderError(error, request, () => false, logger);

describe('renderError for dependency outages', () => {
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
