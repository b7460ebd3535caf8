import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import type { PostgresTlsOptions } from './database-options';
import { createDataSource } from './create-data-source';
import { createTestDatabase, type LocalTestDatabase } from './test-database.fixture';

/** A CA, a server certificate for `orrery-db.test` and a client certificate, made by openssl. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=orrery-test-ca',
    '-keyout', 'ca.key', '-out', 'ca.crt',
  ); // prettier-ignore
  for (const [name, subject] of [
    ['server', '/CN=orrery-db.test'],
    ['client', '/CN=orrery-client'],
  ] as const) {
    writeFileSync(join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=DNS:orrery-db.test\n' : '');
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`,
    ); // prettier-ignore
  }
}

/**
 * A TLS front for the test PostgreSQL (which runs without TLS): answers the SSLRequest with 'S',
 * terminates TLS with the server certificate and pipes the session through. Refuses clients that
 * do not ask for TLS, and, with `requireClientCertificate`, clients without a certificate of the CA.
 */
async function tlsFront(
  dir: string,
  upstream: { host: string; port: number },
  requireClientCertificate: boolean,
): Promise<{ server: Server; port: number; sessions: { protocol: string | null; client: string | null }[] }> {
  const sessions: { protocol: string | null; client: string | null }[] = [];
  const server = createServer((socket: Socket) => {
    socket.once('data', (first: Buffer) => {
      const sslRequest = first.length === 8 && first.readInt32BE(4) === 80877103;
      if (!sslRequest) {
        socket.destroy();
        return;
      }
      socket.write('S');
      const secure = new TLSSocket(socket, {
        isServer: true,
        key: readFileSync(join(dir, 'server.key')),
        cert: readFileSync(join(dir, 'server.crt')),
        ca: readFileSync(join(dir, 'ca.crt')),
        requestCert: requireClientCertificate,
        rejectUnauthorized: requireClientCertificate,
      });
      secure.on('error', () => socket.destroy());
      secure.on('secure', () => {
        const peer = secure.getPeerCertificate();
        sessions.push({
          protocol: secure.getProtocol(),
          client: typeof peer.subject?.CN === 'string' ? peer.subject.CN : null,
        });
        const database = connect(upstream.port, upstream.host);
        database.on('error', () => secure.destroy());
        secure.pipe(database).pipe(secure);
      });
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sessions };
}

describe('createDataSource over TLS (upstream connect_args.tls)', () => {
  let db: LocalTestDatabase;
  let dir: string;
  let front: Awaited<ReturnType<typeof tlsFront>>;
  let mtlsFront: Awaited<ReturnType<typeof tlsFront>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'orrery-pg-tls-'));
    makeCertificates(dir);
    const url = new URL(db.url);
    const upstream = { host: url.hostname, port: Number(url.port || 5432) };
    front = await tlsFront(dir, upstream, false);
    mtlsFront = await tlsFront(dir, upstream, true);
  });

  afterAll(async () => {
    front?.server.close();
    mtlsFront?.server.close();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** Opens a one-connection pool through a front, runs one query, closes it. */
  async function query(
    port: number,
    tls: PostgresTlsOptions | undefined,
    sql = 'SELECT 1 AS one',
  ): Promise<unknown> {
    const url = new URL(db.url);
    url.host = `127.0.0.1:${port}`;
    const dataSource = createDataSource({
      kind: 'postgres',
      url: url.toString(),
      poolSize: 1,
      ...(tls ? { tls } : {}),
    });
    await dataSource.initialize();
    try {
      return await dataSource.query(sql);
    } finally {
      await dataSource.destroy();
    }
  }

  it('connects over TLS 1.2+ when the server certificate verifies against the CA file', async () => {
    const before = front.sessions.length;
    await expect(query(front.port, { caFile: join(dir, 'ca.crt'), checkHostname: false })).resolves.toEqual([
      { one: 1 },
    ]);
    expect(front.sessions.slice(before)).toEqual([
      { protocol: expect.stringMatching(/^TLSv1\.[23]$/), client: null },
    ]);
  });

  it('rejects a certificate naming another host unless check_hostname is off', async () => {
    await expect(query(front.port, { caFile: join(dir, 'ca.crt'), checkHostname: true })).rejects.toThrow(
      /orrery-db\.test|altnames|Hostname/i,
    );
  });

  it('always verifies the chain: without the CA file the test CA is not trusted', async () => {
    await expect(query(front.port, { checkHostname: false })).rejects.toThrow(
      /self[- ]signed|unable to verify/i,
    );
  });

  it('presents the client certificate for mTLS', async () => {
    const tls = { caFile: join(dir, 'ca.crt'), checkHostname: false };
    await expect(query(mtlsFront.port, tls)).rejects.toThrow();
    const before = mtlsFront.sessions.length;
    await expect(
      query(mtlsFront.port, { ...tls, certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key') }),
    ).resolves.toEqual([{ one: 1 }]);
    expect(mtlsFront.sessions.slice(before)).toEqual([
      { protocol: expect.any(String), client: 'orrery-client' },
    ]);
  });

  it('names the TLS file it cannot read, and wants a certificate and a key together', () => {
    expect(() =>
      createDataSource({
        kind: 'postgres',
        url: db.url,
        tls: { caFile: join(dir, 'missing.crt'), checkHostname: true },
      }),
    ).toThrow(`cannot read the PostgreSQL TLS CA file ${join(dir, 'missing.crt')}: ENOENT`);
    expect(() =>
      createDataSource({
        kind: 'postgres',
        url: db.url,
        tls: { certFile: join(dir, 'client.crt'), checkHostname: true },
      }),
    ).toThrow('PostgreSQL mTLS needs both the client certificate file and its key file');
  });

  it('sets the search_path of every session (connect_args.search_path)', async () => {
    const dataSource = createDataSource({
      kind: 'postgres',
      url: db.url,
      poolSize: 1,
      searchPath: 'orrery, public',
    });
    await dataSource.initialize();
    try {
      expect(await dataSource.query(`SELECT current_setting('search_path') AS path`)).toEqual([
        { path: 'orrery, public' },
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});
