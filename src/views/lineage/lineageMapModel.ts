// The lineage map as plain data: nodes and edges with their drawing style, laid out by d3-force run
// to rest here (deterministic: fixed start positions, fixed tick count), then drawn as SVG.
import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, type SimulationNodeDatum } from 'd3';
import type { LineageRow } from '../../core/lineage/judge';
import type { PairFinding } from '../../core/lineage/judge';

export interface MapNode {
  id: string;
  label: string;
  x: number;
  y: number;
  /** slot index in the comparison, or null for a scan child */
  index: number | null;
  failed: boolean;
}

export interface MapEdge {
  source: string;
  target: string;
  /** measured shared ancestry: solid, width from r */
  measured: boolean;
  /** some card declares it: dashed */
  declared: boolean;
  /** a claim the weights contradict: red */
  contradicted: boolean;
  undeclared: boolean;
  r: number | null;
  width: number;
  /** what a click opens */
  open: { kind: 'pair'; a: number; b: number } | { kind: 'scan'; child: string };
  title: string;
}

export interface MapInput {
  nodes: { id: string; index: number | null; failed?: boolean }[];
  rows: LineageRow[];
  findings: PairFinding[];
  /** node id by slot index (for findings) */
  idOf: (index: number) => string;
  /** rows from a scan open the scan child rather than a slot pair */
  scanBase?: string;
  /** claims that could not be judged (the child failed to load): dashed, grey */
  unjudged?: { base: string; child: string; title: string }[];
}

export const MAP_SIZE = { width: 760, height: 420 };

export function edgeWidth(r: number | null): number {
  return r !== null && Number.isFinite(r) ? 1 + 7 * Math.max(0, Math.min(1, r)) : 1.5;
}

export function lineageMap(input: MapInput): { nodes: MapNode[]; edges: MapEdge[] } {
  const edges = new Map<string, MapEdge>();
  const keyOf = (x: string, y: string) => (x < y ? `${x}\n${y}` : `${y}\n${x}`);
  for (const row of input.rows) {
    const open =
      input.scanBase !== undefined
        ? { kind: 'scan' as const, child: row.child }
        : { kind: 'pair' as const, a: row.baseIndex, b: row.childIndex };
    const measured = row.verdict === 'shared-ancestry';
    edges.set(keyOf(row.child, row.base), {
      source: row.base,
      target: row.child,
      measured,
      declared: row.status !== 'undeclared',
      contradicted: row.status === 'contradicted',
      undeclared: row.status === 'undeclared',
      r: row.r,
      width: measured ? edgeWidth(row.r) : 1.5,
      open,
      title: row.explanation,
    });
  }
  for (const u of input.unjudged ?? []) {
    edges.set(keyOf(u.child, u.base), {
      source: u.base,
      target: u.child,
      measured: false,
      declared: true,
      contradicted: false,
      undeclared: false,
      r: null,
      width: 1.5,
      open: { kind: 'scan', child: u.child },
      title: u.title,
    });
  }
  for (const f of input.findings) {
    if (f.verdict !== 'shared-ancestry') continue;
    const [a, b] = [input.idOf(f.a), input.idOf(f.b)];
    if (edges.has(keyOf(a, b))) continue;
    edges.set(keyOf(a, b), {
      source: a,
      target: b,
      measured: true,
      declared: false,
      contradicted: false,
      undeclared: false,
      r: f.r,
      width: edgeWidth(f.r),
      open: { kind: 'pair', a: f.a, b: f.b },
      title: `shared ancestry measured in the norm weights, r = ${f.r.toFixed(2)}`,
    });
  }
  const { width, height } = MAP_SIZE;
  type SimNode = SimulationNodeDatum & { id: string };
  const sim: SimNode[] = input.nodes.map((n, k) => {
    const angle = (2 * Math.PI * k) / Math.max(1, input.nodes.length);
    return { id: n.id, x: width / 2 + 150 * Math.cos(angle), y: height / 2 + 120 * Math.sin(angle) };
  });
  const links = [...edges.values()]
    .filter((e) => sim.some((n) => n.id === e.source) && sim.some((n) => n.id === e.target))
    .map((e) => ({ source: e.source, target: e.target }));
  const simulation = forceSimulation(sim)
    .force(
      'link',
      forceLink<SimNode, { source: string; target: string }>(links)
        .id((d) => d.id)
        .distance(130),
    )
    .force('charge', forceManyBody().strength(-500))
    .force('center', forceCenter(width / 2, height / 2))
    .force('collide', forceCollide(60))
    .stop();
  for (let t = 0; t < 300; t++) simulation.tick();
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  const nodes: MapNode[] = input.nodes.map((n, k) => ({
    id: n.id,
    label: n.id.split('/').pop() ?? n.id,
    index: n.index,
    failed: n.failed ?? false,
    x: clamp(sim[k]!.x ?? width / 2, 70, width - 70),
    y: clamp(sim[k]!.y ?? height / 2, 30, height - 30),
  }));
  return { nodes, edges: [...edges.values()] };
}
