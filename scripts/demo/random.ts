// Seeded pseudo-random numbers for the demo data and tests: sfc32 seeded through splitmix32,
// Box–Muller normals and Student-t draws. Same seed → same sequence on every platform.

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform 32-bit unsigned integer */
  uint32(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
  /** standard normal N(0, 1) */
  normal(): number;
  /** Student-t with `dof` degrees of freedom (heavy tailed; variance dof/(dof-2) for dof > 2) */
  studentT(dof: number): number;
  /** an independent generator derived from this one's seed and a label */
  fork(label: string | number): Rng;
}

/** 32-bit FNV-1a hash of a string, used to turn labels into seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Combines seed parts (numbers or strings) into one 32-bit seed. */
export function hashSeed(...parts: (string | number)[]): number {
  return hashString(parts.map(String).join('\u241f'));
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32 (Small Fast Counting): returns uniform 32-bit unsigned integers. */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  a >>>= 0;
  b >>>= 0;
  c >>>= 0;
  d >>>= 0;
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
}

/** A seeded generator (sfc32 seeded via splitmix32, warmed up). */
export function createRng(seed: number | string): Rng {
  const seed32 = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const mix = splitmix32(seed32);
  const raw = sfc32(mix(), mix(), mix(), mix());
  for (let i = 0; i < 12; i++) raw();
  let spare: number | null = null;

  const rng: Rng = {
    uint32: raw,
    next: () => raw() / 4294967296,
    int: (n) => Math.floor((raw() / 4294967296) * n),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = raw() / 4294967296;
      const v = raw() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    studentT(dof) {
      const z = rng.normal();
      let chi2 = 0;
      for (let i = 0; i < dof; i++) {
        const g = rng.normal();
        chi2 += g * g;
      }
      return z / Math.sqrt(chi2 / dof);
    },
    fork: (label) => createRng(hashSeed(seed32, label)),
  };
  return rng;
}
