/**
 * Browser mode's server: serves the built renderer and carries the IPC contract over a WebSocket.
 *
 * Invariants:
 * - Listens on 127.0.0.1 only. Requests whose Host header is not this loopback address and port are refused
 *   (defeats DNS rebinding).
 * - The WebSocket requires the random per-start token (constant-time compare) and an Origin of this server; any
 *   other upgrade is refused before a socket is opened.
 * - Every message is decoded and validated (shared/ipc) before the app service sees it; a bad frame is dropped and
 *   never crashes the server.
 * - Pages and assets get the same CSP and security headers as the desktop app's protocol handler.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../shared/ipc/binary.ts';
import { serveEndpoint, type Endpoint } from '../shared/ipc/protocol.ts';
import { contentSecurityPolicy } from '../services/security/csp.ts';
import type { AppService } from '../services/app/app-service.ts';
import { assetResponse } from '../services/app-protocol/asset-files.ts';

export const LOOPBACK = '127.0.0.1';
export const MAX_MESSAGE_BYTES = 600 * 1024 * 1024;

export interface ServerOptions {
  readonly port: number;
  readonly rendererDir: string;
  readonly token: string;
  readonly service: AppService;
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly port: number;
  /** The page URL, token included (in the fragment, so it never appears in request lines or logs). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const server: Server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  let port = options.port;
  const allowedHosts = (): string[] => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);
  let csp = '';

  server.on('request', (req, res) => {
    void (async () => {
      if (!allowedHosts().includes(req.headers.host ?? '')) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong host');
        return;
      }
      const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      if (url.pathname === '/health') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('ok');
        return;
      }
      const r = await assetResponse(options.rendererDir, url.pathname, csp);
      res.writeHead(r.status, r.headers);
      res.end(req.method === 'HEAD' ? undefined : r.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, why: string): void => {
      log(`refused a WebSocket: ${why}`);
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(421, 'Misdirected Request');
    if (!allowedOrigins().includes(req.headers.origin ?? '')) return refuse(403, 'Forbidden origin');
    if (!tokenMatches(url.searchParams.get('token') ?? '', options.token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const messageListeners = new Set<(m: unknown) => void>();
    const closeListeners = new Set<() => void>();
    const endpoint: Endpoint = {
      send(message) {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(encodeFrame(message));
      },
      onMessage(listener) {
        messageListeners.add(listener);
        return () => messageListeners.delete(listener);
      },
      onClose(listener) {
        closeListeners.add(listener);
        return () => closeListeners.delete(listener);
      },
    };
    ws.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        message = isBinary ? decodeFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) : decodeFrame(bytes.toString('utf8'));
      } catch {
        log('dropped an undecodable WebSocket frame');
        return;
      }
      for (const l of messageListeners) l(message);
    });
    const connection = options.service.connect((event) => endpoint.send({ type: 'event', event }));
    serveEndpoint(endpoint, connection, (why) => log(why));
    ws.on('close', () => {
      connection.close();
      for (const l of closeListeners) l();
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  csp = contentSecurityPolicy({ connectSrc: allowedHosts().map((h) => `ws://${h}`) });

  return {
    port,
    url: `http://${LOOPBACK}:${port}/#token=${options.token}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
