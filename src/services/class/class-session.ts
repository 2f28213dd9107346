/**
 * Follow-along class sessions: a read-only listener students on the same network join to watch the presenter's
 * lesson live. It is a separate server from browser mode's (and exists in the desktop app too), off until the
 * instructor opens it, bound to the one interface the instructor chose, with its own random join token.
 *
 * Invariants (what a viewer can and cannot do):
 * - HTTP: only GET/HEAD of the renderer's static files (the same files, CSP and headers as the app) on the
 *   expected Host; nothing else — no app API, no health endpoint, no lesson files.
 * - WebSocket `/follow?join=<token>`: the token is compared in constant time and the Origin must be this listener;
 *   at most `maxViewers` sockets (a flood beyond that is refused before the upgrade), 1 KiB per message.
 * - A viewer may send exactly one kind of message, `{"type":"hello"}` (resend the latest state); any other
 *   message closes its socket (policy violation). Viewers receive only what the presenter publishes: the view
 *   (cursor, slide name and explanation — never the speaker notes) and the finished trace.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { assetResponse } from '../app-protocol/asset-files.ts';
import { contentSecurityPolicy } from '../security/csp.ts';

export const DEFAULT_MAX_VIEWERS = 120;
const MAX_VIEWER_MESSAGE_BYTES = 1024;

export interface ClassSessionOptions {
  /** The interface address to listen on (one of `classInterfaces()`, or 127.0.0.1). */
  readonly host: string;
  readonly port?: number;
  readonly rendererDir: string;
  readonly maxViewers?: number;
  readonly log?: (line: string) => void;
}

/** The IPv4 addresses of this machine's interfaces, loopback first (where students can reach the session). */
export function classInterfaces(): string[] {
  const out = ['127.0.0.1'];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal && !out.includes(a.address)) out.push(a.address);
  }
  return out;
}

export class ClassSession {
  readonly host: string;
  readonly token = randomBytes(18).toString('base64url');
  #port = 0;
  #server: Server;
  #wss: WebSocketServer;
  #maxViewers: number;
  #view: string | null = null;
  #trace: string | null = null;
  #refused = 0;
  #log: (line: string) => void;

  private constructor(options: ClassSessionOptions) {
    this.host = options.host;
    this.#maxViewers = options.maxViewers ?? DEFAULT_MAX_VIEWERS;
    this.#log = options.log ?? (() => {});
    this.#server = createServer();
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: MAX_VIEWER_MESSAGE_BYTES, perMessageDeflate: false });
  }

  static async open(options: ClassSessionOptions): Promise<ClassSession> {
    if (!classInterfaces().includes(options.host)) throw new Error(`${JSON.stringify(options.host)} is not an interface of this machine`);
    const s = new ClassSession(options);
    await s.#listen(options);
    return s;
  }

  get port(): number {
    return this.#port;
  }
  get viewers(): number {
    return this.#wss.clients.size;
  }
  /** Upgrades refused so far (no or wrong token, wrong origin, over the viewer limit). */
  get refused(): number {
    return this.#refused;
  }
  /** The join URL students open (the token in the fragment, so it is not in request lines or logs). */
  get url(): string {
    return `http://${this.#hostPort()}/#view=follow&join=${this.token}`;
  }

  #hostPort(): string {
    return `${this.host}:${this.#port}`;
  }

  /** The presenter's view (a JSON message the viewer page checks) goes to every viewer and is kept for late joiners. */
  publishView(json: string): void {
    this.#view = json;
    this.#broadcast(json);
  }

  publishTrace(json: string): void {
    this.#trace = json;
    this.#broadcast(json);
  }

  #broadcast(data: string): void {
    for (const ws of this.#wss.clients) if (ws.readyState === ws.OPEN) ws.send(data);
  }

  async #listen(options: ClassSessionOptions): Promise<void> {
    let csp = '';
    this.#server.on('request', (req, res) => {
      void (async () => {
        if (req.headers.host !== this.#hostPort()) return void res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong host');
        if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        const url = new URL(req.url ?? '/', 'http://class.invalid');
        const r = await assetResponse(options.rendererDir, url.pathname, csp);
        res.writeHead(r.status, r.headers);
        res.end(req.method === 'HEAD' ? undefined : r.body);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const refuse = (status: number, why: string): void => {
        this.#refused++;
        this.#log(`class session refused a viewer: ${why}`);
        socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\n\r\n`);
      };
      const url = new URL(req.url ?? '/', 'http://class.invalid');
      if (url.pathname !== '/follow') return refuse(404, 'Not Found');
      if (req.headers.host !== this.#hostPort()) return refuse(421, 'Misdirected Request');
      if (req.headers.origin !== `http://${this.#hostPort()}`) return refuse(403, 'Forbidden origin');
      if (!tokenMatches(url.searchParams.get('join') ?? '', this.token)) return refuse(401, 'Unauthorized');
      if (this.#wss.clients.size >= this.#maxViewers) return refuse(503, 'Too many viewers');
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#viewer(ws));
    });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(options.port ?? 0, options.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address();
    this.#port = typeof address === 'object' && address ? address.port : 0;
    csp = contentSecurityPolicy({ connectSrc: [`ws://${this.#hostPort()}`] });
  }

  #viewer(ws: WebSocket): void {
    const sendState = (): void => {
      if (this.#trace) ws.send(this.#trace);
      if (this.#view) ws.send(this.#view);
    };
    sendState();
    ws.on('message', (data, isBinary) => {
      let ok = false;
      if (!isBinary) {
        try {
          const m = JSON.parse(String(data)) as unknown;
          ok = typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'hello' && Object.keys(m).length === 1;
        } catch {
          ok = false;
        }
      }
      if (ok) sendState();
      else ws.close(1008, 'viewers may only say hello');
    });
    ws.on('error', () => ws.terminate());
  }

  async close(): Promise<void> {
    for (const ws of this.#wss.clients) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'closed' }));
      ws.close(1001, 'the class session ended');
    }
    this.#wss.close();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
