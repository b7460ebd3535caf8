import { isUnderPrefix, normaliseRequestTarget } from './request-target';

describe('normaliseRequestTarget', () => {
  it.each([
    ['/api/flows/', '/api/flows/', ''],
    ['//api//flows', '/api/flows', ''],
    ['/%61pi/flows', '/api/flows', ''],
    ['/api/%7Efoo%20bar', '/api/~foo%20bar', ''],
    ['/api/./flows', '/api/flows', ''],
    ['/api/x/../flows', '/api/flows', ''],
    ['/api/%2e%2E/api/flows', '/api/flows', ''],
    ['/api/flows/..', '/api/', ''],
    ['/../../api/flows', '/api/flows', ''],
    ['/api/health;/../flows', '/api/flows', ''],
    ['/api/flows?x=/../y#frag', '/api/flows', 'x=/../y'],
    ['/api/flows#?x', '/api/flows', ''],
    ['http://host:1//api/flows?a=1', '/api/flows', 'a=1'],
    ['HTTPS://host', '/', ''],
    ['/api/flows/%00', '/api/flows/%00', ''],
  ])('%s → %s ? %s', (target, path, query) => {
    expect(normaliseRequestTarget(target)).toEqual({ ok: true, path, query });
  });

  it.each([
    ['/api/flows%2F', 'encoded-separator'],
    ['/api%2fflows', 'encoded-separator'],
    ['/api%5Cflows', 'encoded-separator'],
    ['/api/flows%zz', 'malformed'],
    ['/api/flows%4', 'malformed'],
    ['*', 'malformed'],
    ['api/flows', 'malformed'],
  ])('refuses %s (%s)', (target, reason) => {
    expect(normaliseRequestTarget(target)).toEqual({ ok: false, reason });
  });

  it('tells paths under a prefix from look-alikes', () => {
    expect(isUnderPrefix('/api', '/api')).toBe(true);
    expect(isUnderPrefix('/api/flows', '/api')).toBe(true);
    expect(isUnderPrefix('/apix', '/api')).toBe(false);
    expect(isUnderPrefix('/API/flows', '/api')).toBe(false);
  });
});
