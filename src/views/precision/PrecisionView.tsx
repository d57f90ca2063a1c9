// The seed's future work, live: how much of each layer's γ pattern BF16 and FP16 can hold at the
// layer's scale, next to ‖γ‖ and √d.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useApp } from '../../state/storeContext';
import { hasRole } from '../../core/pairs';
import { modelPrecision } from '../../core/precision';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { ModelToggles, ROLE_NAMES, RoleToggle } from '../kit2d/Controls';
import { LinePanel, SvgLegend } from '../kit2d/LinePanel';
import { markerPath } from '../kit2d/chartLayout';
import { parseSubset, toggleSubset } from '../kit2d/pairChoice';
import { modelColor, modelMarker } from '../kit2d/palette';
import { fixed, percent, sci } from '../kit2d/format';
import { ReadoutTable } from '../kit2d/ReadoutTable';
import { FORMAT_DASH, FORMAT_NAMES, FORMATS, precisionFindings, precisionLayout } from './precisionModel';

const TOP = 44;

const PRECISION_NOTE = (
  <>
    Write each layer’s γ as a common level plus a pattern, γ = mean + δ. A 16-bit float has a fixed number of mantissa
    bits, so its grid step (ulp) grows with the level: in BF16 (8 bits) it is 1/128 of the mean’s power of two, in FP16
    (11 bits) 1/1024. (b) shows how many grid steps the pattern’s spread covers at that level — near one step, most of
    the pattern is rounding; (c) the share of dimensions closer to the mean than half a step, which would be stored as
    the mean itself (swamping). (a) shows the scale ‖γ‖ that drives it, against √d of an all-ones γ. This is the seed’s
    “how much pattern variance is preserved under BF16/FP16”, measured rather than left as future work. It says nothing
    about ancestry. Values already stored in BF16 sit on the BF16 grid, so when a layer’s mean falls close to one BF16
    value, every dimension holding that value is within half an FP16 step of the mean: that is what the sudden FP16
    jumps in (c) are.
  </>
);

/** The hover readout: each shown model's precision numbers at one layer. */
function PrecisionReadoutTable({
  layer: l,
  rows,
  names,
}: {
  layer: number;
  rows: (ReturnType<typeof modelPrecision> & { model: number })[];
  names: Map<number, string>;
}) {
  return (
    <ReadoutTable
      testId="precision-readout-table"
      layer={l}
      columns={['mean', 'std', '‖γ‖', ...FORMATS.flatMap((f) => [`${FORMAT_NAMES[f]} ulp(mean)`, 'std / ulp', 'lost'])]}
      rows={rows.map((p) => ({
        key: String(p.model),
        model: p.model,
        name: names.get(p.model) ?? '',
        testId: `precision-readout-${p.model}`,
        cells: [
          { key: 'mean', text: fixed(p.mean[l]!, 4) },
          { key: 'std', text: sci(p.std[l]!) },
          { key: 'l2', text: fixed(p.l2[l]!, 3), testId: `precision-l2-${p.model}` },
          ...FORMATS.flatMap((f) => [
            { key: `${f}u`, text: sci(p[f].ulpAtMean[l]!) },
            { key: `${f}s`, text: fixed(p[f].stdInUlps[l]!, 1) },
            { key: `${f}l`, text: percent(p[f].lostShare[l]!, 2), testId: `precision-lost-${p.model}-${f}` },
          ]),
        ],
      }))}
    />
  );
}

export function PrecisionView() {
  const models = useLoadedModels();
  const norm = useApp((s) => s.query.norm);
  const [subsetParam, setSubset] = useViewParam('subset', '');
  const [hover, setHover] = useState<number | null>(null);
  const figureRef = useRef<SVGSVGElement>(null);
  const loaded = models.map((m) => m.index);
  const shown = parseSubset(subsetParam, loaded);
  const shownKey = shown.join(',');

  const withRole = useMemo(
    () => models.filter((m) => shownKey.split(',').map(Number).includes(m.index) && hasRole(m.model, norm)),
    [models, shownKey, norm],
  );
  const profiles = useMemo(
    () => withRole.map(({ index, model }) => ({ ...modelPrecision([model], 0, norm), model: index })),
    [withRole, norm],
  );
  const names = useMemo(() => new Map(models.map((m) => [m.index, shortName(m.model.repo)])), [models]);
  const layout = useMemo(() => (profiles.length ? precisionLayout(profiles, names) : null), [profiles, names]);

  const controls = models.length ? (
    <>
      <RoleToggle />
      <ModelToggles models={models} shown={shown} onToggle={(i) => setSubset(toggleSubset(shown, loaded, i))} />
    </>
  ) : undefined;
  const frame = (children: ReactNode) => (
    <ViewFrame
      id="precision"
      title="How much of γ’s pattern survives 16-bit storage"
      figure="seed: Scope and Future Work, scale observation"
      note={PRECISION_NOTE}
      figureRef={figureRef}
      controls={controls}
    >
      {children}
    </ViewFrame>
  );
  if (models.length === 0)
    return frame(
      <EmptyState id="precision">
        Load at least one model to see how its γ pattern fits the BF16 and FP16 grids.
      </EmptyState>,
    );
  if (!layout)
    return frame(
      <EmptyState id="precision">None of the shown models has the {ROLE_NAMES[norm]}; try the other norm.</EmptyState>,
    );

  const findings = precisionFindings(profiles, names);
  const legend = [
    ...profiles.map((p) => ({
      key: String(p.model),
      label: names.get(p.model) ?? '',
      color: modelColor(p.model),
      marker: markerPath(modelMarker(p.model), 0, 0),
    })),
    ...FORMATS.map((f) => ({ key: f, label: FORMAT_NAMES[f], color: '#555', dash: FORMAT_DASH[f] })),
  ];
  const rows = hover === null ? [] : profiles.filter((p) => hover < p.mean.length);

  return frame(
    <>
      <div className="f2d-figure-box">
        <svg
          ref={figureRef}
          className="f2d-svg"
          width={layout.width}
          height={layout.height + TOP}
          viewBox={`0 0 ${layout.width} ${layout.height + TOP}`}
          data-testid="precision-figure"
        >
          <text className="f2d-suptitle" fontWeight={700} x={layout.width / 2} y={18} textAnchor="middle">
            γ = mean + δ in 16-bit formats · {ROLE_NAMES[norm]}
          </text>
          <SvgLegend x={60} y={34} entries={legend} />
          <g transform={`translate(0,${TOP})`}>
            {(['norm', 'spread', 'lost'] as const).map((k) => (
              <LinePanel
                key={k}
                layout={layout[k]}
                hover={hover}
                onHover={setHover}
                testId={`precision-${k}`}
                maxMarkers={64}
              />
            ))}
          </g>
        </svg>
      </div>
      <Readout id="precision" hint="Hover a layer for its numbers.">
        {rows.length > 0 ? <PrecisionReadoutTable layer={hover!} rows={rows} names={names} /> : undefined}
      </Readout>
      <ul className="f2d-summary" data-testid="precision-findings">
        {findings.map((f) => (
          <li key={f.model}>{f.sentence}</li>
        ))}
      </ul>
    </>,
  );
}
