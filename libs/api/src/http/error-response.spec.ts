import { Logger } from '@nestjs/common';
import { renderError } from './error-response';
import { RequestValidationError } from './request-validation.error';

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
