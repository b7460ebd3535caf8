import { connect } from 'node:net';

export interface RawHttpResponse {
  readonly status: number;
  /** Everything after the header block (not de-chunked). */
  readonly body: string;
}

/**
 * Sends one request exactly as written — request target, version and headers byte for byte, which
 * `fetch` would normalise — over a fresh TCP connection, and reads the response until the server
 * closes (the request asks for `Connection: close`). For tests of how odd request targets are routed.
 */
export function rawHttpRequest(
  port: number,
  request: {
    readonly method: string;
    readonly target: string;
    readonly version?: '1.0' | '1.1';
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  },
  timeoutMs = 10_000,
): Promise<RawHttpResponse> {
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Connection: 'close',
    ...request.headers,
  };
  if (request.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(request.body));
  }
  const head = [
    `${request.method} ${request.target} HTTP/${request.version ?? '1.1'}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer to ${request.method} ${request.target} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${head}\r\n\r\n${request.body ?? ''}`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (match === null) {
        reject(
          new Error(`not an HTTP response to ${request.method} ${request.target}: ${text.slice(0, 200)}`),
        );
        return;
      }
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(match[1]), body: split === -1 ? '' : text.slice(split + 4) });
    });
  });
}
