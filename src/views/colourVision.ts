// Colour-vision checks for the app's ramps and palettes: dichromacy simulated as Machado, Oliveira and
// Fernandes (2009), "A physiologically-based model for simulation of color vision deficiency", IEEE TVCG
// 15(6), with their severity-1.0 matrices applied to linear RGB; differences measured in CIELAB (D65)
// with CIEDE2000 (Sharma, Wu and Dalal 2005). Pure: used by the colour tests, not at run time.
import { rgb } from 'd3-color';

export type Vision = 'normal' | 'protanopia' | 'deuteranopia' | 'tritanopia';
export const DICHROMACIES: Exclude<Vision, 'normal'>[] = ['protanopia', 'deuteranopia', 'tritanopia'];

type Matrix = readonly [number, number, number, number, number, number, number, number, number];

/** Machado et al. 2009, severity 1.0, linear RGB → linear RGB (rows). */
const MACHADO: Record<Exclude<Vision, 'normal'>, Matrix> = {
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritanopia: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
};

export type Lab = [number, number, number];

const toLinear = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** A CSS colour as seen with the given vision, in CIELAB (D65 white). */
export function simulatedLab(css: string, vision: Vision): Lab {
  const c = rgb(css);
  let lin = [toLinear(c.r), toLinear(c.g), toLinear(c.b)];
  if (vision !== 'normal') {
    const m = MACHADO[vision];
    // clipped to the display's gamut, as a screen would show it
    lin = [0, 1, 2].map((i) =>
      Math.min(1, Math.max(0, m[3 * i]! * lin[0]! + m[3 * i + 1]! * lin[1]! + m[3 * i + 2]! * lin[2]!)),
    );
  }
  const [r, g, b] = lin as [number, number, number];
  // sRGB (D65) → XYZ, normalised by the white point
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** CIEDE2000 colour difference (kL = kC = kH = 1). */
export function deltaE2000([l1, a1, b1]: Lab, [l2, a2, b2]: Lab): number {
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const g = 0.5 * (1 - Math.sqrt(cBar ** 7 / (cBar ** 7 + 25 ** 7)));
  const ap1 = (1 + g) * a1,
    ap2 = (1 + g) * a2;
  const cp1 = Math.hypot(ap1, b1),
    cp2 = Math.hypot(ap2, b2);
  const hue = (b: number, a: number) => (b === 0 && a === 0 ? 0 : (deg(Math.atan2(b, a)) + 360) % 360);
  const hp1 = hue(b1, ap1),
    hp2 = hue(b2, ap2);
  const dL = l2 - l1,
    dC = cp2 - cp1;
  let dh = 0;
  if (cp1 * cp2 !== 0) {
    dh = hp2 - hp1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(cp1 * cp2) * Math.sin(rad(dh / 2));
  const lBar = (l1 + l2) / 2,
    cpBar = (cp1 + cp2) / 2;
  let hBar = hp1 + hp2;
  if (cp1 * cp2 !== 0) {
    if (Math.abs(hp1 - hp2) <= 180) hBar = (hp1 + hp2) / 2;
    else hBar = hp1 + hp2 < 360 ? (hp1 + hp2 + 360) / 2 : (hp1 + hp2 - 360) / 2;
  }
  const t =
    1 -
    0.17 * Math.cos(rad(hBar - 30)) +
    0.24 * Math.cos(rad(2 * hBar)) +
    0.32 * Math.cos(rad(3 * hBar + 6)) -
    0.2 * Math.cos(rad(4 * hBar - 63));
  const sl = 1 + (0.015 * (lBar - 50) ** 2) / Math.sqrt(20 + (lBar - 50) ** 2);
  const sc = 1 + 0.045 * cpBar,
    sh = 1 + 0.015 * cpBar * t;
  const rt =
    -2 * Math.sqrt(cpBar ** 7 / (cpBar ** 7 + 25 ** 7)) * Math.sin(rad(60 * Math.exp(-(((hBar - 275) / 25) ** 2))));
  return Math.sqrt((dL / sl) ** 2 + (dC / sc) ** 2 + (dH / sh) ** 2 + rt * (dC / sc) * (dH / sh));
}

/** The thresholds the colour tests hold every ramp and palette to (CIEDE2000 units). */
export const READABLE = {
  /** a ramp's two ends (sequential), or each end against the centre and the two ends apart (diverging) */
  rampEnds: 20,
  /** any two colours of a categorical set drawn together (about five just-noticeable differences) */
  categorical: 10,
  /** L* may fall back this much between neighbouring samples and still count as monotonic (rounding) */
  lightnessSlack: 0.5,
} as const;

/** Why a sequential ramp is not readable with `vision`, or null when it is. */
export function sequentialProblem(color: (t: number) => string, vision: Vision, samples = 33): string | null {
  const labs = Array.from({ length: samples }, (_, i) => simulatedLab(color(i / (samples - 1)), vision));
  const sign = Math.sign(labs[samples - 1]![0] - labs[0]![0]) || 1;
  for (let i = 1; i < samples; i++) {
    const step = sign * (labs[i]![0] - labs[i - 1]![0]);
    if (step < -READABLE.lightnessSlack)
      return `L* turns back at t = ${((i - 1) / (samples - 1)).toFixed(3)}: ${labs[i - 1]![0].toFixed(1)} → ${labs[i]![0].toFixed(1)}`;
  }
  const ends = deltaE2000(labs[0]!, labs[samples - 1]!);
  return ends < READABLE.rampEnds ? `ends only ΔE2000 ${ends.toFixed(1)} apart` : null;
}

/** Why a diverging ramp over t ∈ [0, 1] (centre at 0.5) is not readable with `vision`, or null. */
export function divergingProblem(color: (t: number) => string, vision: Vision, samples = 33): string | null {
  const half = (samples - 1) / 2;
  // each side read outwards from the centre must be monotonic in L* with distinct ends
  const side = (dir: 1 | -1) => (u: number) => color(0.5 + (dir * u) / 2);
  for (const dir of [-1, 1] as const) {
    const problem = sequentialProblem(side(dir), vision, half + 1);
    if (problem) return `${dir < 0 ? 'low' : 'high'} side: ${problem}`;
  }
  const ends = deltaE2000(simulatedLab(color(0), vision), simulatedLab(color(1), vision));
  return ends < READABLE.rampEnds ? `the two ends only ΔE2000 ${ends.toFixed(1)} apart` : null;
}

/** The closest pair of a categorical set with `vision`, as [i, j, ΔE2000]. */
export function closestPair(colors: readonly string[], vision: Vision): [number, number, number] {
  let best: [number, number, number] = [0, 0, Infinity];
  const labs = colors.map((c) => simulatedLab(c, vision));
  for (let i = 0; i < labs.length; i++)
    for (let j = i + 1; j < labs.length; j++) {
      const d = deltaE2000(labs[i]!, labs[j]!);
      if (d < best[2]) best = [i, j, d];
    }
  return best;
}
