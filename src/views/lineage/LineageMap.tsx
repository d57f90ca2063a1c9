// The lineage map: measured shared ancestry solid (width from r), declared links dashed,
// contradicted claims red. Click a node or an edge to open that pair.
import { useMemo } from 'react';
import { lineageMap, MAP_SIZE, type MapEdge, type MapInput, type MapNode } from './lineageMapModel';

export function LineageMap({
  input,
  onEdge,
  onNode,
  testId,
}: {
  input: MapInput;
  onEdge: (e: MapEdge) => void;
  onNode: (n: MapNode) => void;
  testId: string;
}) {
  const { nodes, edges } = useMemo(() => lineageMap(input), [input]);
  const at = new Map(nodes.map((n) => [n.id, n]));
  if (nodes.length < 2) return <p className="muted">The map needs two models or more.</p>;
  return (
    <figure className="lineage-map" data-testid={testId}>
      <svg
        viewBox={`0 0 ${MAP_SIZE.width} ${MAP_SIZE.height}`}
        width={MAP_SIZE.width}
        height={MAP_SIZE.height}
        role="img"
        aria-label="lineage map"
      >
        {edges.map((e) => {
          const s = at.get(e.source),
            t = at.get(e.target);
          if (!s || !t) return null;
          const cls = `edge${e.measured ? ' measured' : ''}${e.declared ? ' declared' : ''}${e.contradicted ? ' contradicted' : ''}${e.undeclared ? ' undeclared' : ''}`;
          return (
            <g
              key={`${e.source}-${e.target}`}
              className={cls}
              data-testid="map-edge"
              data-source={e.source}
              data-target={e.target}
              onClick={() => onEdge(e)}
            >
              <title>{e.title}</title>
              <line x1={s.x} y1={s.y} x2={t.x} y2={t.y} className="hit" strokeWidth={14} />
              <line
                x1={s.x}
                y1={s.y}
                x2={t.x}
                y2={t.y}
                className="stroke"
                strokeWidth={e.width}
                strokeDasharray={e.declared && !e.measured ? '7 5' : undefined}
              />
              {e.declared && e.measured && (
                <line
                  x1={s.x}
                  y1={s.y}
                  x2={t.x}
                  y2={t.y}
                  className="declared-overlay"
                  strokeWidth={1.5}
                  strokeDasharray="7 5"
                />
              )}
            </g>
          );
        })}
        {nodes.map((n) => (
          <g
            key={n.id}
            className={`node${n.failed ? ' failed' : ''}`}
            transform={`translate(${n.x},${n.y})`}
            data-testid="map-node"
            data-id={n.id}
            onClick={() => onNode(n)}
          >
            <title>{n.id}</title>
            <circle r={9} />
            <text y={-14} textAnchor="middle">
              {n.label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted small">
        solid: shared ancestry measured in the norm weights (thicker = higher r) · dashed: declared in a model card ·
        red: a claim the weights contradict · orange: shared ancestry no card declares. Click a line or a model to open
        the pair.
      </figcaption>
    </figure>
  );
}
