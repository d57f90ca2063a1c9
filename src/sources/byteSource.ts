// Where the bytes come from: a Hub file read by HTTP Range, or a File on the user's disk. The
// formats and the norm loader only ever see this interface.

export interface ByteSource {
  /** the file's path as the user knows it (repo path, or the local file's relative path) */
  readonly path: string;
  /** size in bytes when known before reading (local files; Hub files once a read has told it) */
  size(): number | null;
  /** exactly the bytes [start, endExclusive), or fewer only when the file ends first */
  read(start: number, endExclusive: number): Promise<Uint8Array>;
  /** how many reads this source has made (for the transfer summary) */
  readonly reads: number;
}
