import {
  apiVersionAtLeast,
  clientVersionAtLeast,
  clientVersionFromUserAgent,
  compareClientVersions,
  PAUSE_AWARE_API_VERSION,
  parseApiVersion,
  parseClientVersion,
} from './versions';

describe('API versions', () => {
  it('parse x.y.z integers only', () => {
    expect(parseApiVersion('0.8.4')).toEqual([0, 8, 4]);
    expect(parseApiVersion(' 1.10.0 ')).toEqual([1, 10, 0]);
    expect(parseApiVersion('0.8')).toBeNull();
    expect(parseApiVersion('0.8.x')).toBeNull();
  });

  it('treat an absent version as the latest', () => {
    expect(apiVersionAtLeast(null, PAUSE_AWARE_API_VERSION)).toBe(true);
    expect(apiVersionAtLeast([0, 8, 4], PAUSE_AWARE_API_VERSION)).toBe(true);
    expect(apiVersionAtLeast([0, 9, 0], PAUSE_AWARE_API_VERSION)).toBe(true);
    expect(apiVersionAtLeast([0, 8, 3], PAUSE_AWARE_API_VERSION)).toBe(false);
  });
});

describe('client versions', () => {
  it('come from a prefect User-Agent', () => {
    expect(clientVersionFromUserAgent('prefect/3.4.11 (API 0.8.4)')).toBe('3.4.11');
    expect(clientVersionFromUserAgent('prefect/3.0.0rc20 (API 0.8.4)')).toBe('3.0.0rc20');
    expect(clientVersionFromUserAgent('prefect/3.4.11.dev3+g1234 (API 0.8.4)')).toBe('3.4.11.dev3+g1234');
    expect(clientVersionFromUserAgent('prefect/3.4.11')).toBeNull();
    expect(clientVersionFromUserAgent('curl/8.0')).toBeNull();
    expect(clientVersionFromUserAgent(null)).toBeNull();
  });

  it('order like PEP 440', () => {
    const ordered = [
      '3.0.0.dev1',
      '3.0.0a1',
      '3.0.0b2',
      '3.0.0rc20',
      '3.0.0',
      '3.0.0.post1',
      '3.0.1',
      '3.4.10',
      '3.4.11.dev3',
      '3.4.11',
      '3.10.0',
    ];
    for (let i = 0; i < ordered.length - 1; i++) {
      const a = parseClientVersion(ordered[i]!)!;
      const b = parseClientVersion(ordered[i + 1]!)!;
      expect([ordered[i], compareClientVersions(a, b) < 0]).toEqual([ordered[i], true]);
    }
    expect(compareClientVersions(parseClientVersion('3.4')!, parseClientVersion('3.4.0')!)).toBe(0);
    expect(parseClientVersion('not a version')).toBeNull();
  });

  it('compare against 3.4.11 (unknown or unparseable = older)', () => {
    expect(clientVersionAtLeast('3.4.11', '3.4.11')).toBe(true);
    expect(clientVersionAtLeast('3.8.4', '3.4.11')).toBe(true);
    expect(clientVersionAtLeast('3.4.11rc1', '3.4.11')).toBe(false);
    expect(clientVersionAtLeast('3.4.10', '3.4.11')).toBe(false);
    expect(clientVersionAtLeast(null, '3.4.11')).toBe(false);
    expect(clientVersionAtLeast('garbage', '3.4.11')).toBe(false);
  });
});
