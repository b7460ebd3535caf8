import { RequestValidationError } from '@orrery/domain';
import { PrefectHttpError } from '../http/prefect-http.error';
import { laxUuidParamPipe, pythonUuid, routeUuid, UuidParamPipe } from './uuid-param.pipe';

const ID = '0b7e4d2c-5a1f-4c3e-9d8b-1a2b3c4d5e6f';

describe('UUID path parameters', () => {
  // Starlette's `uuid` convertor: hex in any case, each hyphen optional.
  it.each([[ID], [ID.toUpperCase()], [ID.replace(/-/g, '')], ['0B7E4D2C5A1F-4c3e-9d8b1a2b3c4d5e6f']])(
    'a {id:uuid} route matches %s, and the handler sees it canonical',
    (segment) => {
      expect(routeUuid(segment)).toBe(ID);
      expect(new UuidParamPipe().transform(segment)).toBe(ID);
    },
  );

  it.each([
    [`{${ID}}`],
    [`urn:uuid:${ID}`],
    [`${ID}0`],
    ['not-a-uuid'],
    [''],
    [`${ID.slice(0, 8)}--${ID.slice(9)}`],
  ])('a {id:uuid} route does not match %s: 404 Not Found', (segment) => {
    expect(routeUuid(segment)).toBeNull();
    expect(() => new UuidParamPipe().transform(segment)).toThrow(PrefectHttpError);
  });

  it('a UUID-typed parameter without the convertor takes pydantic forms and refuses with a 422 at its loc', () => {
    const pipe = laxUuidParamPipe('lease_id');
    expect(pipe.transform(`{${ID.toUpperCase()}}`, { type: 'param' })).toBe(ID);
    expect(pipe.transform(`urn:uuid:${ID}`, { type: 'param' })).toBe(ID);
    let error: unknown;
    try {
      pipe.transform('nope', { type: 'param' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([
      { type: 'uuid_parsing', loc: ['path', 'lease_id'], msg: 'Input should be a valid UUID', input: 'nope' },
    ]);
  });

  it.each([
    [ID],
    [ID.toUpperCase()],
    [`{${ID}}`],
    [`urn:uuid:${ID}`],
    [`uuid:${ID.replace(/-/g, '')}`],
    ['0b7e-4d2c5a1f4c3e9d8b1a2b3c4d5e6f'],
  ])("Python's UUID() reads %s", (text) => expect(pythonUuid(text)).toBe(ID));

  it.each([['my-limit'], [`${ID}x`], [ID.slice(1)]])("Python's UUID() refuses %s (a name)", (text) =>
    expect(pythonUuid(text)).toBeNull(),
  );
});
