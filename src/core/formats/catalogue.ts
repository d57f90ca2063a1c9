// How a format turns header bytes into a tensor catalogue: what every weights format hands on to
// norm discovery, whatever its layout (safetensors JSON headers, GGUF tensor infos).
import type { WeightsFormat } from '../types';

/** Reads [start, endExclusive) of one file; may return fewer bytes only when the file ends first. */
export type ReadBytes = (start: number, endExclusive: number) => Promise<Uint8Array>;

export interface CatalogueTensor {
  name: string;
  /** the file (repo or local path) that holds it */
  file: string;
  /** a dtype src/core/dtypes.ts knows (BF16, F16, F32) or the format's own name for others */
  dtype: string;
  /** numpy order: slowest-varying first */
  shape: number[];
  /** absolute [start, end) byte offsets in its file; end = start when the size is unknown */
  start: number;
  end: number;
}

export interface CatalogueFile {
  file: string;
  /** bytes that precede the tensor data (safetensors 8 + N, GGUF header + padding) */
  headerBytes: number;
  /** file size when known */
  total: number | null;
}

export interface TensorCatalogue {
  format: WeightsFormat;
  /** config.json, or the equivalent built from GGUF metadata */
  config: Record<string, unknown>;
  files: CatalogueFile[];
  tensors: CatalogueTensor[];
  warnings: string[];
}
