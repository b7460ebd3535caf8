/** A syntax error as Jinja reports it: the (1-based) line and the message. */
export interface TemplateSyntaxProblem {
  readonly line: number;
  readonly message: string;
}

/** Block tags and the tags that may appear inside them before their end tag. */
const BLOCKS: Readonly<Record<string, readonly string[]>> = {
  if: ['elif', 'else'],
  for: ['else'],
  macro: [],
  call: [],
  filter: [],
  block: [],
  with: [],
  autoescape: [],
  raw: [],
  set: [],
  trans: ['pluralize'],
};
/** Tags that stand alone. */
const SIMPLE_TAGS = new Set(['extends', 'include', 'import', 'from', 'do', 'break', 'continue', 'print']);

const STATEMENT_END = "unexpected end of template, expected 'end of statement block'.";

/**
 * A structural check of a Jinja template for `POST /templates/validate` (automation notification
 * templates): delimiters closed, expressions not empty, tags known, blocks closed by their own end
 * tag in order. Messages and line numbers follow Jinja's. It does not parse expressions themselves
 * (the actions that render templates report those when they run); returns null when well formed.
 */
export function templateSyntaxProblem(template: string): TemplateSyntaxProblem | null {
  const lineAt = (index: number): number => template.slice(0, index).split('\n').length;
  const open: { tag: string; line: number }[] = [];
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf('{', i);
    if (start < 0 || start + 1 >= template.length) break;
    const kind = template[start + 1];
    if (kind !== '{' && kind !== '%' && kind !== '#') {
      i = start + 1;
      continue;
    }
    const close = kind === '{' ? '}}' : `${kind}}`;
    const end = template.indexOf(close, start + 2);
    if (end < 0) {
      const line = lineAt(template.length);
      if (kind === '#') return { line: lineAt(start), message: 'Missing end of comment tag' };
      if (kind === '{')
        return { line, message: "unexpected end of template, expected 'end of print statement'." };
      return { line, message: STATEMENT_END };
    }
    const inner = template
      .slice(start + 2, end)
      .replace(/^[-+]/, '')
      .replace(/[-+]$/, '')
      .trim();
    const line = lineAt(start);
    i = end + close.length;
    if (kind === '#') continue;
    if (kind === '{') {
      if (inner === '') return { line, message: "Expected an expression, got 'end of print statement'" };
      continue;
    }
    const tag = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner)?.[0];
    if (tag === undefined) return { line, message: 'tag name expected' };
    if (tag === 'raw') {
      // Everything up to {% endraw %} is text.
      const endRaw = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
      endRaw.lastIndex = i;
      const found = endRaw.exec(template);
      if (found === null) {
        return { line: lineAt(template.length), message: missingEnd([{ tag: 'raw' }]) };
      }
      i = found.index + found[0].length;
      continue;
    }
    // `{% set x = … %}` is a statement; `{% set x %}…{% endset %}` a block.
    if (tag === 'set' && inner.includes('=')) continue;
    if (tag in BLOCKS) {
      open.push({ tag, line });
      continue;
    }
    if (tag.startsWith('end')) {
      const innermost = open.at(-1);
      if (innermost === undefined || tag !== `end${innermost.tag}`) {
        return { line, message: unknownTag(tag, open) };
      }
      open.pop();
      continue;
    }
    const innermost = open.at(-1);
    if (innermost !== undefined && (BLOCKS[innermost.tag] ?? []).includes(tag)) continue;
    if (SIMPLE_TAGS.has(tag)) continue;
    return { line, message: unknownTag(tag, open) };
  }
  if (open.length > 0) return { line: lineAt(template.length), message: missingEnd(open) };
  return null;
}

function expectedTags(innermost: { tag: string }): string {
  return [`end${innermost.tag}`, ...(BLOCKS[innermost.tag] ?? [])].map((t) => `'${t}'`).join(' or ');
}

function unknownTag(tag: string, open: readonly { tag: string }[]): string {
  const innermost = open.at(-1);
  if (innermost === undefined) return `Encountered unknown tag '${tag}'.`;
  return (
    `Encountered unknown tag '${tag}'. Jinja was looking for the following tags: ${expectedTags(innermost)}. ` +
    `The innermost block that needs to be closed is '${innermost.tag}'.`
  );
}

function missingEnd(open: readonly { tag: string }[]): string {
  const innermost = open.at(-1)!;
  return (
    `Unexpected end of template. Jinja was looking for the following tags: ${expectedTags(innermost)}. ` +
    `The innermost block that needs to be closed is '${innermost.tag}'.`
  );
}
