// No setting is silently ignored (issue 12): every setting docs/settings.md lists is read by product
// code outside libs/config, or is documented there as "accepted for compatibility, no effect" (with
// its reason), or belongs to an open issue (OWNED_BY_OPEN_ISSUE, trimmed as those issues land).
// "Read" is decided by the TypeScript checker: a property access or destructuring, in a non-test
// source file of apps/ or libs/ (libs/config and libs/testing excluded), that resolves to the
// setting's field of the Settings tree (settings.types.ts). A service's enable variable is read
// through the service catalogue, so it counts as read when Orrery implements that service.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SERVICE_CATALOGUE, settingDefinitions } from '@orrery/config';
import * as ts from 'typescript';
import { isImplemented } from './service-modules';

const ROOT = resolve(__dirname, '..', '..', '..');
const TYPES_FILE = join(ROOT, 'libs', 'config', 'src', 'settings.types.ts');

/**
 * Settings that feed a derived field of the tree instead of one of their own: the discrete
 * database and Redis fields become one URL.
 */
const FEEDS: Record<string, string> = {
  'server.database.driver': 'server.database.connectionUrl',
  'server.database.host': 'server.database.connectionUrl',
  'server.database.port': 'server.database.connectionUrl',
  'server.database.user': 'server.database.connectionUrl',
  'server.database.password': 'server.database.connectionUrl',
  'server.database.name': 'server.database.connectionUrl',
  'server.database.connection_url': 'server.database.connectionUrl',
  'redis.messaging.host': 'redis.messaging.url',
  'redis.messaging.port': 'redis.messaging.url',
  'redis.messaging.db': 'redis.messaging.url',
  'redis.messaging.username': 'redis.messaging.url',
  'redis.messaging.password': 'redis.messaging.url',
  'redis.messaging.ssl': 'redis.messaging.url',
  'server.services.metrics_host': 'server.services.metrics.host',
  'server.services.metrics_port': 'server.services.metrics.port',
};

/**
 * Settings whose meaning is being built by another open issue right now (UI, metrics,
 * automations/triggers, retryable errors). The lead trims this list when those issues merge; a setting leaves it
 * by getting a consumer or a documented "no effect" reason.
 */
const OWNED_BY_OPEN_ISSUE = new Set<string>([]);

const camel = (segment: string): string => segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every Settings field that product code reads, as `Interface.field` / `inline:parent.field` keys. */
function fieldsRead(): { program: ts.Program; read: Set<ts.Symbol> } {
  const configFile = ts.findConfigFile(ROOT, ts.sys.fileExists, 'tsconfig.json')!;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const isProduct = (file: string): boolean => {
    const path = relative(ROOT, file);
    return (
      /^(apps|libs)\//.test(path) &&
      !path.startsWith('libs/config/') &&
      !path.startsWith('libs/testing/') &&
      !/\.(e2e-|int-)?spec\.ts$/.test(path)
    );
  };
  const program = ts.createProgram({
    rootNames: parsed.fileNames.filter(isProduct),
    options: parsed.options,
  });
  const checker = program.getTypeChecker();
  const read = new Set<ts.Symbol>();
  const note = (symbol: ts.Symbol | undefined): void => {
    if (symbol?.declarations?.some((d) => d.getSourceFile().fileName === TYPES_FILE)) read.add(symbol);
  };
  for (const source of program.getSourceFiles()) {
    if (!isProduct(source.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) note(checker.getSymbolAtLocation(node.name));
      else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const name = node.propertyName ?? node.name;
        if (ts.isIdentifier(name)) note(checker.getTypeAtLocation(node.parent).getProperty(name.text));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { program, read };
}

/** The Settings field at `path` (camelCase segments), or undefined when the tree has none. */
function fieldAt(program: ts.Program, path: string): ts.Symbol | undefined {
  const checker = program.getTypeChecker();
  const types = program.getSourceFile(TYPES_FILE)!;
  const root = types.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Settings',
  )!;
  let type: ts.Type = checker.getTypeAtLocation(root);
  let symbol: ts.Symbol | undefined;
  for (const segment of path.split('.')) {
    symbol = type.getNonNullableType().getProperty(segment);
    if (symbol === undefined) return undefined;
    type = checker.getTypeOfSymbol(symbol);
  }
  return symbol;
}

/** Variables docs/settings.md marks "accepted for compatibility, no effect", each with its reason. */
function documentedWithoutEffect(): Map<string, string> {
  const doc = readFileSync(join(ROOT, 'docs', 'settings.md'), 'utf8');
  const found = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const match =
      /^\| `(PREFECT_[A-Z0-9_]+)` .*accepted for compatibility, no effect:\*{0,2} ([^|]*\S)/i.exec(line);
    if (match) found.set(match[1]!, match[2]!);
  }
  return found;
}

describe('every setting has a consumer or a documented reason not to', () => {
  jest.setTimeout(300_000);
  let program: ts.Program;
  let read: Set<ts.Symbol>;
  beforeAll(() => {
    ({ program, read } = fieldsRead());
  });

  it('is read outside libs/config, documented as having no effect, or owned by an open issue', () => {
    const withoutEffect = documentedWithoutEffect();
    const ignored: string[] = [];
    const noField: string[] = [];
    for (const definition of settingDefinitions()) {
      const treePath = FEEDS[definition.path] ?? definition.path.split('.').map(camel).join('.');
      const field = fieldAt(program, treePath);
      if (field === undefined) {
        noField.push(`${definition.env} (${treePath})`);
        continue;
      }
      const services = SERVICE_CATALOGUE.filter((s) => s.envVar === definition.env);
      const consumed = services.length > 0 ? services.some((s) => isImplemented(s.name)) : read.has(field);
      const excused = withoutEffect.has(definition.env) || OWNED_BY_OPEN_ISSUE.has(definition.env);
      if (!consumed && !excused) ignored.push(definition.env);
    }
    expect(noField).toEqual([]);
    expect(ignored).toEqual([]);
  });

  it('documents no reason for a setting that is in fact read (the list stays true)', () => {
    // A field type shared by several settings (the messaging and cleanup-queue Redis connections)
    // cannot tell which of them a read belongs to: those are not judged here.
    const fields = settingDefinitions().map((d) =>
      fieldAt(program, FEEDS[d.path] ?? d.path.split('.').map(camel).join('.')),
    );
    const shared = new Set(fields.filter((f, i) => f !== undefined && fields.indexOf(f) !== i));
    const readButExcused = settingDefinitions()
      .filter((d) => documentedWithoutEffect().has(d.env))
      .filter((d) => {
        const field = fieldAt(program, FEEDS[d.path] ?? d.path.split('.').map(camel).join('.'));
        const services = SERVICE_CATALOGUE.filter((s) => s.envVar === d.env);
        if (services.length > 0) return services.some((s) => isImplemented(s.name));
        return field !== undefined && !shared.has(field) && read.has(field);
      })
      .map((d) => d.env);
    expect(readButExcused).toEqual([]);
  });
});
