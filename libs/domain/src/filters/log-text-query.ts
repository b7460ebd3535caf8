/** A parsed log text search: terms to OR together, terms to exclude, terms all required. */
export interface LogTextQuery {
  include: string[];
  exclude: string[];
  required: string[];
}

/** The longest `text.query` a LogFilter accepts. */
export const LOG_TEXT_QUERY_MAX_LENGTH = 200;

/**
 * Parses the LogFilter `text.query` syntax, as Prefect's server does:
 * whitespace-separated terms are alternatives (OR); `-term` or `!term` excludes; `+term` is
 * required; `"quoted phrases"` are one term (`\"` and `\\` escape inside quotes; an unclosed quote
 * runs to the end). A prefix followed by whitespace is dropped. Matching itself (case-insensitive
 * substring over `message + ' ' + name`) is the query compiler's job.
 */
export function parseLogTextQuery(query: string): LogTextQuery {
  const result: LogTextQuery = { include: [], exclude: [], required: [] };
  const add = (prefix: string | null, term: string): void => {
    if (prefix === '-' || prefix === '!') result.exclude.push(term);
    else if (prefix === '+') result.required.push(term);
    else result.include.push(term);
  };
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  let i = 0;
  while (i < query.length) {
    if (isSpace(query[i])) {
      i += 1;
      continue;
    }
    let prefix: string | null = null;
    if ('-!+'.includes(query[i]!)) {
      const next = query[i + 1];
      i += 1;
      if (next === undefined || isSpace(next)) continue;
      prefix = query[i - 1]!;
    }
    if (query[i] === '"') {
      i += 1;
      let phrase = '';
      while (i < query.length && query[i] !== '"') {
        const c = query[i]!;
        const next = query[i + 1];
        if (c === '\\' && (next === '"' || next === '\\')) {
          phrase += next;
          i += 2;
        } else {
          phrase += c;
          i += 1;
        }
      }
      i += 1; // the closing quote, if any
      if (phrase.trim() !== '') add(prefix, phrase);
      continue;
    }
    const start = i;
    while (i < query.length && !isSpace(query[i]) && query[i] !== '"') i += 1;
    if (i > start) add(prefix, query.slice(start, i));
  }
  return result;
}
