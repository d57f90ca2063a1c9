// Test helper: wraps a fetch to record, per client request, when it started, when its headers
// arrived and how many body bytes the client actually consumed (counted as the stream flows, so a
// cancelled body counts only what arrived before the cancel).

export interface RecordedRequest {
  url: string;
  range: string | null;
  authorization: boolean;
  start: number;
  headersAt: number;
  status: number;
  bytes: number;
}

export function recordingFetch(inner: typeof fetch = globalThis.fetch) {
  const requests: RecordedRequest[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const rec: RecordedRequest = {
      url: String(input),
      range: headers.get('range'),
      authorization: headers.has('authorization'),
      start: performance.now(),
      headersAt: NaN,
      status: 0,
      bytes: 0,
    };
    requests.push(rec);
    const res = await inner(input, init);
    rec.headersAt = performance.now();
    rec.status = res.status;
    if (!res.body) return res;
    const counted = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          rec.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const wrapped = new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
    // a new Response has no URL: keep where the redirects led (the client reuses CDN URLs)
    Object.defineProperty(wrapped, 'url', { value: res.url });
    Object.defineProperty(wrapped, 'redirected', { value: res.redirected });
    return wrapped;
  };
  return { fetch: fetchFn as typeof fetch, requests };
}

/**
 * Longest chain of requests where each starts only after the previous one's answer arrived: the
 * number of sequential round trips (run with unbounded concurrency so queueing adds no links).
 */
export function sequentialDepth(requests: readonly RecordedRequest[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) {
      const q = sorted[j] as RecordedRequest;
      if (q.headersAt <= r.start) d = Math.max(d, (depth[j] ?? 0) + 1);
    }
    depth.push(d);
  });
  return Math.max(0, ...depth);
}
