// A local stand-in for the Hugging Face Hub: two origins (hub + CDN) that answer like huggingface.co
// and its LFS/Xet CDN (docs/hub-protocol.md §1, checklist §1.9), serving repos from folders in the static
// Hub layout (scripts/demo/staticHub.ts). Over HTTP/2 + TLS like the Hub (a self-signed certificate
// made at start; HTTP/1.1 clients are served on the same TLS port), or plain HTTP/1.1. Faults can be
// injected (ignored ranges, latency, 429, 503, failing CDN preflights, truncated bodies, transfers
// dropped halfway) and every response is counted, so tests can assert exactly what a client fetched.
//
// Layout: types.ts (options, faults, stats), context.ts (shared state and answer helpers),
// access.ts (tokens, gating, lookups), serveFile.ts (bytes, ranges, signatures), and routes/:
// hub.ts (the hub origin's route table — add hub routes there), models.ts, resolve.ts, cdn.ts, control.ts.

import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { selfSignedCertificate } from './tls.ts';
import {
  createState,
  dropTransfer,
  emptyStats,
  sleep,
  track,
  type Ctx,
  type Req,
  type Res,
  type StandInState,
} from './context.ts';
import { cdnRequest, preflight } from './routes/cdn.ts';
import { CONTROL_PREFIX, controlRequest } from './routes/control.ts';
import { hubRequest } from './routes/hub.ts';
import { sanitizeFaults, type HubStandIn, type HubStandInOptions } from './types.ts';

export { parseRange } from './repoStore.ts';
export {
  CDN_EXPOSE_HEADERS,
  DEFAULT_FAULTS,
  HUB_EXPOSE_HEADERS,
  type HubFaults,
  type HubStandIn,
  type HubStandInOptions,
  type HubStats,
  type StandInProtocol,
} from './types.ts';

function listen(server: http.Server | http2.Http2SecureServer, host: string, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok((server.address() as AddressInfo).port);
    });
  });
}

function handler(s: StandInState, origin: 'hub' | 'cdn') {
  return (req: Req, res: Res): void => {
    const base = origin === 'hub' ? s.hubUrl : s.cdnUrl;
    const url = new URL(req.url ?? '/', base);
    const ctx: Ctx = { req, res, origin, url, route: origin === 'cdn' ? 'cdn' : 'not-found', tensor: false };
    const run = async () => {
      if (origin === 'hub' && url.pathname.startsWith(CONTROL_PREFIX)) return controlRequest(s, ctx);
      track(s, ctx);
      if (s.faults.latencyMs > 0) await sleep(s.faults.latencyMs);
      if (req.method === 'OPTIONS') {
        ctx.route = 'preflight';
        preflight(s, ctx);
        return;
      }
      if (origin === 'hub') await hubRequest(s, ctx);
      else await cdnRequest(s, ctx);
    };
    run().catch((err: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`Internal stand-in error: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        dropTransfer(res);
      }
    });
  };
}

export async function startHubStandIn(opts: HubStandInOptions): Promise<HubStandIn> {
  const host = opts.host ?? '127.0.0.1';
  const cdnHost = opts.cdnHost ?? host;
  const s = createState(opts);
  const protocol = opts.protocol ?? 'http1';
  const sockets = new Set<Socket>();
  const makeServer = (origin: 'hub' | 'cdn') => {
    const server =
      protocol === 'h2'
        ? http2.createSecureServer({ ...selfSignedCertificate(), allowHTTP1: true }, handler(s, origin))
        : http.createServer(handler(s, origin));
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return server;
  };
  const hubServer = makeServer('hub');
  const cdnServer = makeServer('cdn');
  const hubPort = await listen(hubServer, host, opts.hubPort ?? 0);
  const cdnPort = await listen(cdnServer, cdnHost, opts.cdnPort ?? 0);
  const urlHost = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const scheme = protocol === 'h2' ? 'https' : 'http';
  s.hubUrl = `${scheme}://${urlHost(host)}:${hubPort}`;
  s.cdnUrl = `${scheme}://${urlHost(cdnHost)}:${cdnPort}`;

  const closeServer = (server: http.Server | http2.Http2SecureServer) =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      for (const socket of sockets) socket.destroy();
    });

  return {
    hubUrl: s.hubUrl,
    cdnUrl: s.cdnUrl,
    protocol,
    stats: () => structuredClone(s.stats),
    resetStats: () => {
      s.stats = emptyStats();
      s.rangedAnswers = 0;
    },
    setFaults: (f) => {
      s.faults = { ...s.faults, ...sanitizeFaults(f) };
    },
    close: async () => {
      await Promise.all([closeServer(hubServer), closeServer(cdnServer)]);
    },
  };
}
