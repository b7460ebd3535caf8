import { timingSafeEqual } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';

/** The subprotocol Prefect clients offer; accepting it means "handshake first" (spec-api §8.3). */
export const PREFECT_SUBPROTOCOL = 'prefect';

/** RFC 6455 close codes the handshake uses. */
export const WS_PROTOCOL_ERROR = 1002;
export const WS_POLICY_VIOLATION = 1008;
export const WS_INTERNAL_ERROR = 1011;

/** A client that opened a socket and never authenticates must not hold it forever. */
const AUTH_TIMEOUT_MS = 30_000;

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The bytes of a websocket frame, however ws delivered them. */
export function frameBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/**
 * Prefect's websocket handshake (spec-services-events-ha §3.3, spec-api §8.3) — the one
 * authentication check of every websocket route, run by `WebSocketUpgradeRouter` before the route's
 * handler sees the socket. With the `prefect` subprotocol the first frame must be
 * `{"type":"auth","token":…}`; the token is compared with the auth string in constant time and
 * answered `{"type":"auth_success"}`, anything else closes 1008. Without the subprotocol (legacy
 * clients) there is no handshake, unless an auth string is set: 1002.
 *
 * The auth frame is parsed by `parseFrame` (the router's, within the body bounds: anyone may send
 * one). `onAccepted` runs synchronously once the client is in, before the reply is sent, so a handler
 * that attaches its `message` listener there gets every later frame, from the very next one (a
 * client may send its first event in the same TCP segment as its auth).
 */
export function authenticatePrefectSocket(
  socket: WebSocket,
  authString: string | null,
  parseFrame: (data: RawData) => unknown,
  onAccepted: () => void,
): void {
  if (socket.protocol !== PREFECT_SUBPROTOCOL) {
    if (authString === null) onAccepted();
    else socket.close(WS_PROTOCOL_ERROR, 'The prefect subprotocol is required');
    return;
  }
  const refuse = (reason: string): void => {
    cleanup();
    socket.close(WS_POLICY_VIOLATION, reason);
  };
  const timer = setTimeout(() => refuse('Expected an auth message'), AUTH_TIMEOUT_MS);
  const onMessage = (data: RawData): void => {
    let message: unknown;
    try {
      message = parseFrame(data);
    } catch {
      refuse("Expected 'auth' message");
      return;
    }
    const m = message as { type?: unknown; token?: unknown } | null;
    if (typeof m !== 'object' || m === null || m.type !== 'auth') {
      refuse("Expected 'auth' message");
      return;
    }
    if (authString !== null) {
      if (typeof m.token !== 'string' || m.token === '') {
        refuse('Auth required');
        return;
      }
      if (!sameSecret(m.token, authString)) {
        refuse('Invalid token');
        return;
      }
    }
    cleanup();
    onAccepted();
    socket.send(JSON.stringify({ type: 'auth_success' }));
  };
  const cleanup = (): void => {
    clearTimeout(timer);
    socket.off('message', onMessage);
    socket.off('close', cleanup);
  };
  socket.on('message', onMessage);
  socket.on('close', cleanup);
}

/** The first frame a client sends after the handshake, or null when it closes first. */
export function firstFrame(socket: WebSocket): Promise<RawData | null> {
  return new Promise((resolve) => {
    const onMessage = (data: RawData): void => {
      socket.off('close', onClose);
      resolve(data);
    };
    const onClose = (): void => {
      socket.off('message', onMessage);
      resolve(null);
    };
    socket.once('message', onMessage);
    socket.once('close', onClose);
  });
}
