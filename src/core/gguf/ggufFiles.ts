// Which GGUF files of a repo hold the language model, grouped into pickable options: one option per
// quantization (a single file, or all parts of a `NAME-00001-of-00003.gguf` split). Vision/audio
// projectors (`mmproj-*.gguf`) and imatrix data are not language models and are left out. Every
// quantization carries the same F32 norm bytes, so any complete option gives the same γ.

export interface RepoFile {
  path: string;
  size: number | null;
}

export interface GgufOption {
  /** quantization label from the name, upper-case ("Q4_K_M", "UD-Q2_K_XL", "BF16"); the file stem when there is none */
  label: string;
  /** the files in part order (one for unsplit models) */
  files: RepoFile[];
  /** sum of the part sizes; null when any is unknown */
  totalSize: number | null;
  /** expected part numbers (1-based) that the repo lacks; empty when complete */
  missingParts: number[];
}

export interface GgufChoice {
  options: GgufOption[];
  /** the option to read, null when nothing usable (see problem) */
  chosen: GgufOption | null;
  problem: string | null;
}

const SPLIT = /^(?<prefix>.*)-(?<part>\d{5})-of-(?<total>\d{5})\.gguf$/i;
// Projectors and non-model GGUFs: mmproj (vision/audio towers), imatrix data, projector adapters.
const NOT_LANGUAGE_MODEL = /(^|[-_.])(mmproj|imatrix|projector)([-_.]|$)|^mmproj/i;
// A quantization label standing alone between separators; UD- marks unsloth's dynamic quants.
const QUANT_LABEL =
  /(?<![A-Z0-9])(?:UD-)?(?:I?Q[1-8](?:_[A-Z0-9]+)*|TQ[12]_0|MXFP4(?:_MOE)?|BF16|F16|F32)(?![A-Z0-9])/g;

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const folderName = (path: string): string => {
  const parts = path.split('/');
  return parts.length > 1 ? (parts[parts.length - 2] as string) : '';
};

export function isGgufFile(path: string): boolean {
  return path.toLowerCase().endsWith('.gguf');
}

/** A GGUF that is not the language model: vision/audio projector or imatrix data. */
export function isAuxiliaryGguf(path: string): boolean {
  return NOT_LANGUAGE_MODEL.test(baseName(path).replace(/\.gguf$/i, ''));
}

/** The last quantization label in the name, else in its folder (`Q4_K_M/model-00001-of-00002.gguf`). */
export function quantLabel(path: string): string | null {
  const stem = baseName(path)
    .replace(SPLIT, '$<prefix>')
    .replace(/\.gguf$/i, '');
  for (const text of [stem, folderName(path)]) {
    const found = text.toUpperCase().match(QUANT_LABEL);
    if (found) return found[found.length - 1] as string;
  }
  return null;
}

/** Hub model info: the `gguf` tag, or any .gguf file among the siblings. */
export function isGgufRepo(
  tags: readonly string[] | undefined,
  siblings: readonly (string | { rfilename?: string; path?: string })[] | undefined,
): boolean {
  if (tags?.some((t) => t.toLowerCase() === 'gguf')) return true;
  return (siblings ?? []).some((s) => isGgufFile(typeof s === 'string' ? s : (s.rfilename ?? s.path ?? '')));
}

function sumSizes(files: readonly RepoFile[]): number | null {
  let total = 0;
  for (const f of files) {
    if (f.size === null) return null;
    total += f.size;
  }
  return total;
}

/** All language-model options of a repo, smallest complete one first. */
export function listGgufOptions(files: readonly RepoFile[]): GgufOption[] {
  const groups = new Map<string, { total: number; parts: Map<number, RepoFile> }>();
  const singles: RepoFile[] = [];
  for (const file of files) {
    if (!isGgufFile(file.path) || isAuxiliaryGguf(file.path)) continue;
    const split = SPLIT.exec(file.path)?.groups;
    if (!split) {
      singles.push(file);
      continue;
    }
    const total = Number(split.total);
    const key = `${split.prefix}\u0000${total}`;
    const group = groups.get(key) ?? { total, parts: new Map() };
    group.parts.set(Number(split.part), file);
    groups.set(key, group);
  }
  const options: GgufOption[] = singles.map((f) => ({
    label: quantLabel(f.path) ?? baseName(f.path).replace(/\.gguf$/i, ''),
    files: [f],
    totalSize: f.size,
    missingParts: [],
  }));
  for (const { total, parts } of groups.values()) {
    const ordered = [...parts.entries()].sort(([a], [b]) => a - b).map(([, f]) => f);
    const missingParts: number[] = [];
    for (let part = 1; part <= total; part++) if (!parts.has(part)) missingParts.push(part);
    const first = ordered[0] as RepoFile;
    const label = quantLabel(first.path) ?? baseName(first.path).replace(SPLIT, '$<prefix>');
    options.push({ label, files: ordered, totalSize: missingParts.length ? null : sumSizes(ordered), missingParts });
  }
  // complete with a known size first, then complete of unknown size, then the ones missing parts
  const rank = (o: GgufOption) => {
    if (o.missingParts.length) return 2;
    return o.totalSize === null ? 1 : 0;
  };
  return options.sort(
    (a, b) => rank(a) - rank(b) || (a.totalSize ?? 0) - (b.totalSize ?? 0) || a.label.localeCompare(b.label),
  );
}

/** The option to read: the user's pick by label (case-insensitive), else the smallest complete one. */
export function chooseGgufOption(files: readonly RepoFile[], pick?: string | null): GgufChoice {
  const options = listGgufOptions(files);
  const labels = options.map((o) => o.label).join(', ');
  const candidates = pick ? options.filter((o) => o.label.toUpperCase() === pick.toUpperCase()) : options;
  if (options.length === 0)
    return {
      options,
      chosen: null,
      problem: 'The repository has no language-model GGUF file (only projectors or none at all).',
    };
  if (candidates.length === 0)
    return { options, chosen: null, problem: `There is no "${pick}" GGUF in the repository; available: ${labels}.` };
  const chosen = candidates.find((o) => o.missingParts.length === 0) ?? null;
  if (chosen) return { options, chosen, problem: null };
  const broken = candidates[0] as GgufOption;
  const total = broken.missingParts.length + broken.files.length;
  return {
    options,
    chosen: null,
    problem: `The ${broken.label} GGUF is split into ${total} parts, but part${broken.missingParts.length > 1 ? 's' : ''} ${broken.missingParts.join(', ')} ${broken.missingParts.length > 1 ? 'are' : 'is'} missing from the repository.`,
  };
}
