import {
  backendForm,
  booleanForm,
  durationForm,
  durationMapForm,
  integerForm,
  listForm,
  numberForm,
  parseDurationSeconds,
} from './setting.forms';

describe('booleanForm', () => {
  const form = booleanForm();
  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'on', 'On', 't', 'y', ' true '])(
    '%j is true',
    (raw) => {
      expect(form.parse(raw)).toEqual({ ok: true, value: true });
    },
  );
  it.each(['false', 'FALSE', '0', 'no', 'off', 'OFF', 'f', 'n'])('%j is false', (raw) => {
    expect(form.parse(raw)).toEqual({ ok: true, value: false });
  });
  it.each(['2', 'enabled', 'truthy', '-1'])('%j is refused', (raw) => {
    expect(form.parse(raw).ok).toBe(false);
  });
});

describe('integerForm', () => {
  it('accepts integers inside the bounds only', () => {
    const form = integerForm({ min: 1, max: 65535 });
    expect(form.parse('4200')).toEqual({ ok: true, value: 4200 });
    expect(form.parse(' 1 ')).toEqual({ ok: true, value: 1 });
    for (const raw of ['0', '65536', '42.0', '1e3', '0x10', '', 'abc', '99999999999999999999']) {
      expect(form.parse(raw)).toEqual({ ok: false, expected: 'an integer between 1 and 65535' });
    }
  });
});

describe('numberForm', () => {
  it('accepts decimals and exponents, with exclusive lower bounds', () => {
    const form = numberForm({ above: 0 });
    expect(form.parse('2.5')).toEqual({ ok: true, value: 2.5 });
    expect(form.parse('.5')).toEqual({ ok: true, value: 0.5 });
    expect(form.parse('1e3')).toEqual({ ok: true, value: 1000 });
    expect(form.parse('0')).toEqual({ ok: false, expected: 'a number greater than 0' });
    expect(form.parse('Infinity').ok).toBe(false);
    expect(form.parse('NaN').ok).toBe(false);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['3600', 3600],
    ['1.5', 1.5],
    ['PT1H', 3600],
    ['P7D', 604800],
    ['P1W', 604800],
    ['P1DT30M', 88200],
    ['PT0.5S', 0.5],
    ['pt15m', 900],
    ['01:00:00', 3600],
    ['1 day, 00:00:30', 86430],
  ])('%j → %d s', (raw, seconds) => {
    expect(parseDurationSeconds(raw)).toBe(seconds);
  });

  it.each(['P', 'PT', 'P1Y', 'P1M', 'an hour', '1h', ''])('%j is refused', (raw) => {
    expect(parseDurationSeconds(raw)).toBeUndefined();
  });

  it('applies bounds in durationForm', () => {
    expect(durationForm({ above: 3600 }).parse('PT1H').ok).toBe(false);
    expect(durationForm({ above: 3600 }).parse('PT2H')).toEqual({ ok: true, value: 7200 });
  });
});

describe('listForm', () => {
  it('splits on commas and drops blanks', () => {
    expect(listForm().parse('GET, POST,,PUT ')).toEqual({ ok: true, value: ['GET', 'POST', 'PUT'] });
  });
});

describe('durationMapForm', () => {
  const form = durationMapForm();
  it('accepts numbers and ISO strings', () => {
    expect(form.parse('{"a": 60, "b": "PT1H"}')).toEqual({ ok: true, value: { a: 60, b: 3600 } });
  });
  it.each(['[]', '"x"', 'null', '{"a": 0}', '{"a": -1}', '{"a": "soon"}', '{"a": true}', 'not json'])(
    '%j is refused',
    (raw) => {
      expect(form.parse(raw).ok).toBe(false);
    },
  );
});

describe('backendForm', () => {
  const form = backendForm({ memory: ['pkg.memory'], redis: ['pkg_redis.thing'] });
  it('maps module paths and plain words to memory or redis', () => {
    expect(form.parse('pkg.memory')).toEqual({ ok: true, value: 'memory' });
    expect(form.parse('pkg_redis.thing')).toEqual({ ok: true, value: 'redis' });
    expect(form.parse('Memory')).toEqual({ ok: true, value: 'memory' });
    expect(form.parse('redis')).toEqual({ ok: true, value: 'redis' });
    expect(form.parse('pkg.filesystem').ok).toBe(false);
  });
});
