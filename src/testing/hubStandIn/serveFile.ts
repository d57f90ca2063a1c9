// Serving a file's bytes (hub small files and the CDN): ranges, and the truncate/drop faults.
// Also the CDN's content hashes and URL signatures, shared by the resolve and CDN routes.

import { createHash, createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type http from 'node:http';
import { parseRange } from './repoStore.ts';
import { dropAtRandom } from './dropPolicy.ts';
import { dropTransfer, send, type Ctx, type StandInState } from './context.ts';
import { virtualFileAt } from './virtualFiles.ts';

export function serveFile(
  s: StandInState,
  ctx: Ctx,
  abs: string,
  size: number,
  headers: Record<string, string>,
  opts: { honourRange: boolean },
): void {
  const { req, res } = ctx;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Accept-Ranges', 'bytes');
  const range = opts.honourRange ? parseRange(req.headers.range, size) : { kind: 'none' as const };
  if (range.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    send(ctx, 416, '', 'text/plain; charset=utf-8');
    return;
  }
  let start = 0;
  let end = size - 1;
  if (range.kind === 'single') {
    start = range.start;
    end = range.end;
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    if (s.faults.truncateBodies) end = start + Math.floor((end - start + 1) / 2) - 1;
  } else {
    res.statusCode = 200;
  }
  const length = Math.max(0, end - start + 1);
  res.setHeader('Content-Length', String(length));
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const virtual = virtualFileAt(abs); // the bench's computed files (virtualFiles.ts)
  if (virtual) {
    (res as http.ServerResponse).write(Buffer.from(virtual(start, end + 1)));
    res.end();
    return;
  }
  const rangeKey = `${ctx.url.pathname} ${start}-${end}`;
  const droppedBefore = s.droppedRanges.get(rangeKey) ?? 0;
  const dropEveryNth = s.faults.dropEvery > 0 && ++s.rangedAnswers % s.faults.dropEvery === 0 && droppedBefore < 2;
  if (range.kind === 'single' && (dropEveryNth || dropAtRandom(s.stats, s.faults))) {
    if (dropEveryNth) s.droppedRanges.set(rangeKey, droppedBefore + 1);
    // the headers promised `length` bytes; send half of them and drop the transfer
    s.stats.dropped++;
    const half = Math.max(1, Math.floor(length / 2));
    const partial = createReadStream(abs, { start, end: start + half - 1 });
    partial.on('error', () => dropTransfer(res));
    partial.on('data', (chunk) => (res as http.ServerResponse).write(chunk));
    partial.on('end', () => setTimeout(() => dropTransfer(res), 5));
    return;
  }
  s.droppedRanges.delete(rangeKey);
  const stream = createReadStream(abs, { start, end });
  stream.on('error', () => dropTransfer(res));
  res.on('close', () => stream.destroy());
  stream.pipe(res as NodeJS.WritableStream);
}

export const xetHashOf = (lfsOid: string) => createHash('sha256').update(`xet:${lfsOid}`).digest('hex');

export function sign(s: StandInState, path: string, expires: number, range: string): string {
  return createHmac('sha256', s.secret).update(`${path}\n${expires}\n${range}`).digest('base64url');
}
