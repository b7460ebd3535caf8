import { describeConnectionError } from './describe-connection-error';

const URL_WITH_PASSWORD = 'postgresql+asyncpg://prefect:s3cret-pw@db.internal:6543/prefect';

function errorWithCode(code: string, message = `failed: ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeConnectionError', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'host not found'],
    ['ETIMEDOUT', 'timed out'],
    ['28P01', 'authentication failed for user "prefect"'],
    ['3D000', 'database "prefect" does not exist'],
  ])('names host:port for %s', (code, reason) => {
    expect(describeConnectionError(errorWithCode(code), URL_WITH_PASSWORD)).toBe(
      `cannot connect to PostgreSQL at db.internal:6543: ${reason}`,
    );
  });

  it('defaults the port to 5432 and unwraps an AggregateError', () => {
    const aggregate = new AggregateError([errorWithCode('ECONNREFUSED'), errorWithCode('ECONNREFUSED')], 'x');
    expect(describeConnectionError(aggregate, 'postgresql://u@localhost/db')).toBe(
      'cannot connect to PostgreSQL at localhost:5432: connection refused',
    );
  });

  it('recognises the pg pool timeout message', () => {
    expect(describeConnectionError(new Error('timeout expired'), URL_WITH_PASSWORD)).toBe(
      'cannot connect to PostgreSQL at db.internal:6543: timed out',
    );
  });

  it('never prints the password, even when the driver echoes it, and keeps one line', () => {
    const line = describeConnectionError(
      new Error('bad things with s3cret-pw\n    at stack frame'),
      URL_WITH_PASSWORD,
    );
    expect(line).not.toContain('s3cret-pw');
    expect(line).not.toContain('\n');
    expect(line).toBe('cannot connect to PostgreSQL at db.internal:6543: bad things with ***');
  });

  it('describes a PGlite data directory', () => {
    expect(describeConnectionError(new Error('EACCES: permission denied'), '/srv/prefect/pglite')).toBe(
      'cannot open the embedded database in /srv/prefect/pglite: EACCES: permission denied',
    );
  });
});
