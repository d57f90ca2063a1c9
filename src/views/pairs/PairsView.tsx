// Seed Figure 5 + Appendix E: every pair's Pearson heatmap as a small multiple (click one to open
// it in the explorer), and the table of diagonal means with the verdict as the relation.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { hasRole } from '../../core/pairs';
import { useLoadedModels } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { AxisLabels } from '../kit2d/PanelAxes';
import { ROLE_NAMES, RoleToggle } from '../kit2d/Controls';
import { ColorBar, MatrixImage } from '../kit2d/MatrixImage';
import { fixed } from '../kit2d/format';
import { appendixCsv, appendixTable, pairsLayout } from './pairsModel';
import { MatrixHit } from '../heatmap/MatrixHit';
import type { MultipleLayout } from './pairsModel';

function Multiple({
  m,
  hover,
  onHover,
  onOpen,
}: {
  m: MultipleLayout;
  hover: [number, number] | null;
  onHover: (cell: [number, number] | null) => void;
  onOpen: (cell: [number, number] | null) => void;
}) {
  const { plot } = m;
  const cw = plot.width / m.cols,
    ch = plot.height / m.rows;
  return (
    <g className="f2d-multiple f2d-clickable" data-testid={`pairs-multiple-${m.a}-${m.b}`} onClick={() => onOpen(null)}>
      <rect
        className="f2d-multiple-frame"
        x={m.box.x + 4}
        y={m.box.y + 2}
        width={m.box.width - 8}
        height={m.box.height - 4}
        rx={6}
      />
      <text className="f2d-title" fontWeight={700} x={plot.x + plot.width / 2} y={m.box.y + 16} textAnchor="middle">
        {m.title}
      </text>
      <text
        className="f2d-title"
        fontWeight={700}
        x={plot.x + plot.width / 2}
        y={m.box.y + 32}
        textAnchor="middle"
        data-testid={`pairs-subtitle-${m.a}-${m.b}`}
      >
        {m.subtitle}
      </text>
      <MatrixImage
        values={m.values}
        rows={m.rows}
        cols={m.cols}
        scale={m.scale}
        plot={plot}
        testId={`pairs-image-${m.a}-${m.b}`}
      />
      <rect className="f2d-frame" x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
      <line
        className="f2d-diagonal"
        x1={plot.x}
        y1={plot.y}
        x2={plot.x + m.diagonalEnd[0]}
        y2={plot.y + m.diagonalEnd[1]}
      />
      <AxisLabels
        plot={plot}
        xLabel={m.colLabel}
        yLabel={m.rowLabel}
        xTicks={m.xTicks}
        yTicks={m.yTicks}
        xTickGap={12}
        xLabelGap={27}
        yLabelX={plot.x - 30}
      />
      <ColorBar
        id={`pairs-${m.key}`}
        scale={m.scale}
        x={m.legend.x}
        y={m.legend.y}
        height={m.legend.height}
        ticks={m.legend.ticks}
      />
      {hover && (
        <rect
          className="f2d-hover-cell"
          x={plot.x + hover[1] * cw}
          y={plot.y + hover[0] * ch}
          width={Math.max(cw, 3)}
          height={Math.max(ch, 3)}
        />
      )}
      <MatrixHit
        plot={plot}
        rows={m.rows}
        cols={m.cols}
        label={`${m.title}: Enter opens the layer pair in the explorer`}
        hover={hover}
        onHover={onHover}
        onPick={onOpen}
        stopClick
      />
    </g>
  );
}

const PAIRS_NOTE = (
  <>
    Each square is one pair of loaded models: the Pearson r of every layer of one model against every layer of the
    other, for the chosen norm. The dotted line is i = j (same layer index); its mean is in the title. A derived pair
    lights up along a diagonal (or a shifted one, if layers were added or dropped); unrelated pairs are near-white noise
    whatever their raw cosine. Colour scales are symmetric around 0 and fitted to each pair, so read the colour bar.
    Hover a cell for its values; click a square to open that pair in the explorer (a cell click pins the cell). The
    table below is the seed’s Appendix E for both norms, with the relation taken from the permutation-test verdict
    rather than from eyeballing.
  </>
);

/** The seed's Appendix E: both norms of every pair, with the permutation-test relation. */
function AppendixTable({ table }: { table: ReturnType<typeof appendixTable> }) {
  return (
    <table className="f2d-table" data-testid="pairs-table">
      <caption>All model pairs (Appendix E): means over same-index layers (i ↔ i), all dimensions</caption>
      <thead>
        <tr>
          <th rowSpan={2}>Model A</th>
          <th rowSpan={2}>Model B</th>
          <th colSpan={3}>input_layernorm</th>
          <th colSpan={3}>post_attention_layernorm</th>
        </tr>
        <tr>
          <th>raw cosine</th>
          <th>Pearson r</th>
          <th>relation</th>
          <th>raw cosine</th>
          <th>Pearson r</th>
          <th>relation</th>
        </tr>
      </thead>
      <tbody>
        {table.map((row) => (
          <tr key={`${row.a},${row.b}`} data-testid={`pairs-row-${row.a}-${row.b}`}>
            <td className="name">{row.names[0]}</td>
            <td className="name">{row.names[1]}</td>
            {row.cells.map((c) => [
              <td key={`${c.norm}c`} data-testid={`pairs-cos-${row.a}-${row.b}-${c.norm}`}>
                {fixed(c.cosine, 4)}
              </td>,
              <td key={`${c.norm}r`} data-testid={`pairs-r-${row.a}-${row.b}-${c.norm}`}>
                {fixed(c.pearson, 4)}
              </td>,
              <td
                key={`${c.norm}l`}
                className={`relation f2d-rel-${c.relation.cls}`}
                data-testid={`pairs-rel-${row.a}-${row.b}-${c.norm}`}
              >
                {c.relation.text}
              </td>,
            ])}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PairsView() {
  const store = useAppStore();
  const models = useLoadedModels();
  const pairs = useApp((s) => s.pairs);
  const evidence = useApp((s) => s.evidence);
  const computing = useApp((s) => s.computing);
  const notComparable = useApp((s) => s.notComparable);
  const norm = useApp((s) => s.query.norm);
  const [hover, setHover] = useState<{ key: string; cell: [number, number] } | null>(null);
  const figureRef = useRef<SVGSVGElement>(null);

  const names = useMemo(() => new Map(models.map((m) => [m.index, shortName(m.model.repo)])), [models]);
  const nameOf = (i: number) => names.get(i) ?? `model ${i}`;
  const layout = useMemo(() => pairsLayout(pairs, norm, (i) => names.get(i) ?? `model ${i}`), [pairs, norm, names]);
  const table = appendixTable(pairs, evidence, {
    computing,
    name: nameOf,
    hasRole: (i, role) => {
      const m = models.find((x) => x.index === i)?.model;
      return m ? hasRole(m, role) : false;
    },
  });

  const frame = (children: ReactNode) => (
    <ViewFrame
      id="pairs"
      title="All model pairs: Pearson heatmaps and the summary table"
      figure="seed Figure 5, Appendix E"
      note={PAIRS_NOTE}
      figureRef={figureRef}
      controls={<RoleToggle />}
      csv={() => appendixCsv(table)}
    >
      {children}
    </ViewFrame>
  );
  if (models.length < 2) {
    return frame(
      <EmptyState id="pairs">Load at least two models of the same hidden size to compare every pair.</EmptyState>,
    );
  }
  if (pairs.length === 0) {
    return frame(
      <EmptyState id="pairs">
        {computing
          ? 'Computing the similarity matrices…'
          : 'No two loaded models share a hidden size, so no pair can be compared dimension by dimension. Load at least two models of the same hidden size.'}
        {notComparable.map((n) => (
          <span key={`${n.a},${n.b}`} className="f2d-warning" style={{ display: 'block' }}>
            {nameOf(n.a)} × {nameOf(n.b)}: {n.reason}
          </span>
        ))}
      </EmptyState>,
    );
  }
  const hovered = hover ? layout.multiples.find((m) => m.key === hover.key) : undefined;
  const open = (m: MultipleLayout, cell: [number, number] | null) =>
    setQuery(store, { view: 'compare', pair: [m.a, m.b], cell });

  return frame(
    <>
      <div className="f2d-figure-box">
        <svg
          ref={figureRef}
          className="f2d-svg"
          width={layout.width}
          height={layout.height + 34}
          viewBox={`0 0 ${layout.width} ${layout.height + 34}`}
          data-testid="pairs-figure"
        >
          <text className="f2d-suptitle" fontWeight={700} x={layout.width / 2} y={20} textAnchor="middle">
            Pearson correlation of every layer pair · {ROLE_NAMES[norm]}
          </text>
          <g transform="translate(0,30)">
            {layout.multiples.map((m) => (
              <Multiple
                key={m.key}
                m={m}
                hover={hover?.key === m.key ? hover.cell : null}
                onHover={(cell) => setHover(cell ? { key: m.key, cell } : null)}
                onOpen={(cell) => open(m, cell)}
              />
            ))}
          </g>
        </svg>
      </div>
      <Readout id="pairs" hint="Hover a cell for its values; click a square to open the pair in the explorer.">
        {hovered && hover ? (
          <span data-testid="pairs-readout-cell">
            {hovered.title}: layer <b>{hover.cell[0]}</b> × layer <b>{hover.cell[1]}</b> — Pearson r{' '}
            <b data-testid="pairs-hover-r">{fixed(hovered.values[hover.cell[0] * hovered.cols + hover.cell[1]]!, 4)}</b>
            , raw cosine{' '}
            <b data-testid="pairs-hover-cos">
              {fixed(hovered.cosine[hover.cell[0] * hovered.cols + hover.cell[1]]!, 4)}
            </b>
          </span>
        ) : undefined}
      </Readout>
      <AppendixTable table={table} />
      {notComparable.length > 0 && (
        <ul className="hint" data-testid="pairs-not-comparable">
          {notComparable.map((n) => (
            <li key={`${n.a},${n.b}`}>
              {nameOf(n.a)} × {nameOf(n.b)}: not comparable — {n.reason}
            </li>
          ))}
        </ul>
      )}
    </>,
  );
}
