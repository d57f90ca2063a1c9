// What one range read returns: a leaf both the HTTP reader and the verified-range store use.

export interface RangeResult {
  /** the bytes of [start, end) (shorter only when `allowClip` and the file ends first) */
  bytes: Uint8Array;
  /** file size from the Content-Range total (or the whole body's length) */
  total: number | null;
  /** set when the server ignored Range and sent a small file whole */
  whole?: Uint8Array;
}
