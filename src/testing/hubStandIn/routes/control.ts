// The stand-in's control surface, /__standin/{stats,faults,reset}: read the counters, set faults, reset.
// Answered with CORS like the hub but without faults, latency or accounting.

import { HttpError, emptyStats, readBody, sendJson, truthy, type Ctx, type StandInState } from '../context.ts';
import { DEFAULT_FAULTS, sanitizeFaults, type HubFaults } from '../types.ts';

export const CONTROL_PREFIX = '/__standin/';

export async function handleControl(s: StandInState, ctx: Ctx, action: string): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  if (action === 'stats' && method === 'GET') return sendJson(ctx, 200, s.stats);
  if (action === 'faults' && method === 'GET') return sendJson(ctx, 200, s.faults);
  if (action === 'reset' && method === 'POST') {
    await readBody(ctx.req);
    s.stats = emptyStats();
    s.rangedAnswers = 0;
    if (truthy(ctx.url.searchParams.get('faults'))) s.faults = { ...DEFAULT_FAULTS };
    return sendJson(ctx, 200, { ok: true });
  }
  if (action === 'faults' && method === 'POST') {
    const body = await readBody(ctx.req);
    let patch: Partial<HubFaults>;
    try {
      patch = body.trim() ? (JSON.parse(body) as Partial<HubFaults>) : {};
    } catch {
      throw new HttpError(400, 'Body must be JSON');
    }
    const base = truthy(ctx.url.searchParams.get('replace')) ? DEFAULT_FAULTS : s.faults;
    s.faults = { ...base, ...sanitizeFaults(patch) };
    return sendJson(ctx, 200, s.faults);
  }
  throw new HttpError(404, 'Unknown stand-in control route');
}

/** Answers a request to the control surface (the caller checked the path starts with CONTROL_PREFIX). */
export async function controlRequest(s: StandInState, ctx: Ctx): Promise<void> {
  const { req, res, url } = ctx;
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Vary', 'Origin');
  res.setHeader('Cache-Control', 'no-store');
  // lets a page read nextHopProtocol of these answers (tests check the browser speaks h2)
  res.setHeader('Timing-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type');
    res.statusCode = 204;
    res.end();
    return;
  }
  try {
    await handleControl(s, ctx, url.pathname.slice(CONTROL_PREFIX.length));
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    sendJson(ctx, e.status, { error: e.message });
  }
}
