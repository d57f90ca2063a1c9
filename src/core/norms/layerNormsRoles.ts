// Bridge until the lead's LayerNorms change lands: NormRole grew from two roles to eight, and code
// that indexes LayerNorms by role needs a slot for each. Delete this file once types.ts declares
// the slots (or replaces them); identical re-declarations merge, so keeping it is harmless.
import type {} from '../types.ts';

declare module '../types.ts' {
  interface LayerNorms {
    attn_out?: Float32Array;
    ffn_out?: Float32Array;
    q?: Float32Array;
    k?: Float32Array;
    q_a?: Float32Array;
    kv_a?: Float32Array;
  }
}
