import { parseLogTextQuery } from './log-text-query';

describe('parseLogTextQuery', () => {
  it('ORs plain terms and separates exclusions and requirements', () => {
    expect(parseLogTextQuery('error  warning -debug !trace +db')).toEqual({
      include: ['error', 'warning'],
      exclude: ['debug', 'trace'],
      required: ['db'],
    });
  });

  it('keeps quoted phrases whole, with escapes, under any prefix', () => {
    expect(parseLogTextQuery('"connection timeout" -"not \\"this\\"" +"a\\\\b"')).toEqual({
      include: ['connection timeout'],
      exclude: ['not "this"'],
      required: ['a\\b'],
    });
  });

  it('drops a prefix followed by a space and an empty phrase; an unclosed quote runs to the end', () => {
    expect(parseLogTextQuery('- lonely + "" "open phrase')).toEqual({
      include: ['lonely', 'open phrase'],
      exclude: [],
      required: [],
    });
  });

  it('splits a term at a quote and returns nothing for blank queries', () => {
    expect(parseLogTextQuery('abc"def ghi"')).toEqual({
      include: ['abc', 'def ghi'],
      exclude: [],
      required: [],
    });
    expect(parseLogTextQuery('   ')).toEqual({ include: [], exclude: [], required: [] });
  });
});
