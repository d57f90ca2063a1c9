// A forward-only little-endian cursor over a byte source that is read in chunks (HTTP ranges in
// the app, a file or a buffer in tests). It keeps one window of bytes; a value that straddles a
// chunk boundary is served by reading more and joining, so callers never see chunk edges.
// Skipped bytes beyond the window are not read at all.
import { GgufFormatError } from './ggufError.ts';
import { groupDigits } from '../format.ts';

/** Reads bytes [start, end) of the file; may return fewer only at the end of the file. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

export interface CursorOptions {
  fileSize: number | null;
  chunkSize: number;
  /** the header may not extend past this absolute offset */
  maxBytes: number;
}

export interface ReadStats {
  reads: number;
  bytesRead: number;
}

export class ChunkedCursor {
  private window = new Uint8Array(0);
  private view = new DataView(this.window.buffer);
  /** absolute file offset of window[0] */
  private windowStart = 0;
  /** absolute file offset of the next byte to consume */
  position = 0;
  readonly stats: ReadStats = { reads: 0, bytesRead: 0 };
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly read: ReadRange,
    private readonly opts: CursorOptions,
  ) {}

  private get windowEnd(): number {
    return this.windowStart + this.window.length;
  }

  /** Bytes between the position and the end of the file, when the size is known. */
  remainingInFile(): number | null {
    return this.opts.fileSize === null ? null : this.opts.fileSize - this.position;
  }

  private checkBudget(end: number, what: string): void {
    const { fileSize, maxBytes } = this.opts;
    if (fileSize !== null && end > fileSize) {
      throw new GgufFormatError(
        'truncated',
        `The GGUF header is truncated: reading ${what} needs bytes up to ${groupDigits(end)}, but the file has only ${groupDigits(fileSize)} bytes.`,
      );
    }
    if (end > maxBytes) {
      throw new GgufFormatError(
        'too-large',
        `The GGUF header runs past ${groupDigits(maxBytes)} bytes (reading ${what}); it is corrupted or larger than this app reads.`,
      );
    }
  }

  /** Make sure `n` bytes from the position are in the window. Synchronous when they already are. */
  ensure(n: number, what: string): Promise<void> | undefined {
    if (this.position + n <= this.windowEnd) return undefined;
    return this.fill(n, what);
  }

  private async fill(n: number, what: string): Promise<void> {
    const need = this.position + n;
    this.checkBudget(need, what);
    // Keep the unconsumed tail (when the position is still inside the window), read the rest.
    const inside = this.position < this.windowEnd;
    const tail = inside ? this.window.subarray(this.position - this.windowStart) : new Uint8Array(0);
    const readFrom = inside ? this.windowEnd : this.position;
    let readTo = Math.max(need, readFrom + this.opts.chunkSize);
    readTo = Math.min(readTo, this.opts.maxBytes);
    if (this.opts.fileSize !== null) readTo = Math.min(readTo, this.opts.fileSize);
    const parts: Uint8Array[] = [tail];
    let at = readFrom;
    while (at < need) {
      const bytes = await this.read(at, readTo);
      this.stats.reads += 1;
      this.stats.bytesRead += bytes.length;
      if (bytes.length === 0) break;
      parts.push(bytes.length > readTo - at ? bytes.subarray(0, readTo - at) : bytes);
      at += Math.min(bytes.length, readTo - at);
    }
    if (at < need) {
      throw new GgufFormatError(
        'truncated',
        `The GGUF header is truncated: the file ended at byte ${groupDigits(at)} while reading ${what}, which needs bytes up to ${groupDigits(need)}.`,
      );
    }
    const joined = new Uint8Array(at - this.position);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    this.window = joined;
    this.view = new DataView(joined.buffer, joined.byteOffset, joined.byteLength);
    this.windowStart = this.position;
  }

  // Synchronous reads: call ensure() first. Each advances the position.
  private at(size: number): number {
    const i = this.position - this.windowStart;
    this.position += size;
    return i;
  }
  u8(): number {
    return this.view.getUint8(this.at(1));
  }
  i8(): number {
    return this.view.getInt8(this.at(1));
  }
  u16(): number {
    return this.view.getUint16(this.at(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.at(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.at(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.at(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.at(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.at(8), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.at(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.at(8), true);
  }
  /** Bytes as a view into the window (valid until the next ensure). */
  bytes(n: number): Uint8Array {
    const i = this.at(n);
    return this.window.subarray(i, i + n);
  }
  utf8(n: number): string {
    return this.decoder.decode(this.bytes(n));
  }

  /** Move forward n bytes; bytes past the window are never read. */
  skip(n: number, what: string): void {
    this.checkBudget(this.position + n, what);
    this.position += n;
  }

  /** Bytes available in the window from the position (for tight synchronous loops). */
  buffered(): number {
    return Math.max(0, this.windowEnd - this.position);
  }
}
