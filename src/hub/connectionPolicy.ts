// How many requests a load keeps in flight. The Hub and its CDN speak HTTP/2: one connection
// multiplexes many streams, and the Hub limits requests per five minutes, not in flight, so a load
// sends a whole stage at once. An HTTP/1.1 server (mirrors, plain-HTTP hosts) gets ~6 connections
// from a browser and queues the rest; asking for fewer keeps its queue short.

/** In flight per load over HTTP/2 (HTTP/2 servers allow ≥ 100 streams per connection). */
export const MULTIPLEXED_CONCURRENCY = 96;
/** In flight per load against an HTTP/1.1 server. */
export const HTTP1_CONCURRENCY = 6;

export type WireProtocol = 'h2' | 'h3' | 'http/1.1' | 'unknown';

/** The protocol the browser used for `url`, when its resource timing tells (same origin or Timing-Allow-Origin). */
export function observedProtocol(url: string): WireProtocol {
  const perf = (globalThis as { performance?: Performance }).performance;
  if (typeof perf?.getEntriesByName !== 'function') return 'unknown';
  const entries = perf.getEntriesByName(url) as PerformanceResourceTiming[];
  const p = entries.at(-1)?.nextHopProtocol ?? '';
  if (p === 'h2' || p === 'h3' || p === 'http/1.1') return p;
  return 'unknown';
}

/**
 * Requests in flight for a server: from the protocol the browser saw for `probeUrl` (the load's
 * first answer), else by scheme: browsers speak HTTP/2 only over TLS, and HTTPS hubs speak it.
 */
export function concurrencyFor(probeUrl: string): number {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  let url = probeUrl;
  try {
    url = new URL(probeUrl, base).href;
  } catch {
    // relative without a base (Node): judge by what we have
  }
  probeUrl = url;
  const seen = observedProtocol(probeUrl);
  if (seen === 'h2' || seen === 'h3') return MULTIPLEXED_CONCURRENCY;
  if (seen === 'http/1.1') return HTTP1_CONCURRENCY;
  return probeUrl.startsWith('https:') ? MULTIPLEXED_CONCURRENCY : HTTP1_CONCURRENCY;
}
