// Figure 0 live: why raw cosine is inflated. Two positive vectors slide onto the plane ⟂ 1 as
// α goes 0 → 1; their cosine falls to Pearson r. Toy vectors (draggable) or a real layer pair.
import { useEffect, useMemo, useRef, useState } from 'react';
import { invalidate } from '@react-three/fiber';
import { useApp } from '../../state/storeContext';
import { FigureActions } from '../FigureActions';
import { useViewParam } from '../viewState';
import { Figure3D } from '../scene3d/Figure3D';
import { frameProbe } from '../scene3d/frameStats';
import { LabelOverlay } from '../scene3d/labels';
import { OrbitRig } from '../scene3d/OrbitRig';
import { OrbitStore, formatCam, parseCam } from '../scene3d/orbit';
import type { OrbitState, Vec3 } from '../scene3d/orbit';
import { Stage } from '../scene3d/Stage';
import { CenteringScene, COLOR_A, COLOR_B, COLOR_ONES } from './CenteringScene';
import type { CenteringLive, ReadoutNodes } from './CenteringScene';
import {
  DEFAULT_TOY,
  formatAlpha,
  formatVec3,
  parseAlpha,
  parseVec3,
  pearsonOf,
  realInput,
  sceneScale,
  timeForAlpha,
  toyInput,
} from './centeringModel';
import type { CenteringInput, CenteringMode } from './centeringModel';
import { RealPanel, useRealPair } from './RealPanel';
import { ToyInputs } from './ToyInputs';

const DEFAULT_CAM: Record<CenteringMode, OrbitState> = {
  toy: { azimuth: -20, elevation: 40, zoom: 1 },
  real: { azimuth: -62, elevation: 16, zoom: 1 },
};
/** camera distance at zoom 1, in units of the longer raw vector */
const FIT_DISTANCE = 3.6;
/** how long after the last slider step the URL gets the new α */
const ALPHA_COMMIT_MS = 200;

export function CenteringView() {
  return (
    <Figure3D>
      <CenteringFigure />
    </Figure3D>
  );
}

function CenteringFigure() {
  const [modeText, setMode] = useViewParam('mode', 'toy');
  const mode: CenteringMode = modeText === 'real' ? 'real' : 'toy';
  const [alphaText, setAlphaText] = useViewParam('alpha', '');
  const [aText, setAText] = useViewParam('a', formatVec3(DEFAULT_TOY.a));
  const [bText, setBText] = useViewParam('b', formatVec3(DEFAULT_TOY.b));
  const [camText, setCam] = useViewParam('cam', formatCam(DEFAULT_CAM[mode]));
  const [followText, setFollow] = useViewParam('follow', '1');
  const follow = followText === '1';
  const norm = useApp((s) => s.query.norm);
  const real = useRealPair();

  // prefers-reduced-motion: no autoplay; the animation starts paused at α = 0 until Play ("alpha=play")
  const [reduceMotion] = useState(
    () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches,
  );
  const pausedAlpha = reduceMotion && alphaText === '' ? 0 : parseAlpha(alphaText);
  const playing = pausedAlpha === null;
  const toyA = parseVec3(aText, DEFAULT_TOY.a),
    toyB = parseVec3(bText, DEFAULT_TOY.b);
  const realBasis = mode === 'real' && real.ok ? real.basis : null;
  const input: CenteringInput | null = useMemo(() => {
    if (mode === 'toy') return toyInput(parseVec3(aText, DEFAULT_TOY.a), parseVec3(bText, DEFAULT_TOY.b));
    return realBasis ? realInput(realBasis) : null;
  }, [mode, aText, bText, realBasis]);

  const live = useRef<CenteringLive>({
    alpha: pausedAlpha ?? 0,
    playing,
    t: timeForAlpha(pausedAlpha ?? 0),
    lastNow: null,
    drag: null,
    follow,
  });
  live.current.follow = follow;
  const distanceScale = useRef(1);
  const nodes: ReadoutNodes = {
    alpha: useRef<HTMLElement>(null),
    cosine: useRef<HTMLElement>(null),
    angle: useRef<HTMLElement>(null),
    figCosine: useRef<SVGTextElement>(null),
    figAngle: useRef<SVGTextElement>(null),
    figTitle: useRef<SVGTextElement>(null),
    slider: useRef<HTMLInputElement>(null),
  };
  const overlay = useMemo(() => new LabelOverlay(), []);
  const [orbit] = useState(() => new OrbitStore(parseCam(camText, DEFAULT_CAM[mode]))); // later changes arrive through the effect below
  useEffect(() => orbit.set(parseCam(camText, DEFAULT_CAM[mode])), [camText, mode, orbit]);
  const figureRef = useRef<HTMLDivElement>(null);
  const commitTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    frameProbe(); // published before the first frame, so a bench can clear it and then read it
    return () => clearTimeout(commitTimer.current);
  }, []);

  // the URL is the truth for play/pause and the paused α
  useEffect(() => {
    const L = live.current;
    if (pausedAlpha === null) {
      if (!L.playing) {
        L.playing = true;
        L.t = timeForAlpha(L.alpha);
        L.lastNow = null;
      }
    } else {
      L.playing = false;
      L.alpha = pausedAlpha;
      if (nodes.slider.current) nodes.slider.current.value = String(pausedAlpha);
    }
    invalidate();
  }, [pausedAlpha, nodes.slider]);
  useEffect(() => invalidate(), [follow]);

  const togglePlay = () => {
    clearTimeout(commitTimer.current);
    if (playing) {
      live.current.playing = false;
      setAlphaText(formatAlpha(live.current.alpha));
    } else setAlphaText(reduceMotion ? 'play' : '');
  };
  const scrub = (value: number) => {
    const L = live.current;
    L.playing = false;
    L.alpha = value;
    invalidate();
    clearTimeout(commitTimer.current);
    commitTimer.current = setTimeout(() => setAlphaText(formatAlpha(value)), ALPHA_COMMIT_MS);
  };

  const s = input ? sceneScale(input) : 1;
  const target: Vec3 = mode === 'toy' ? [0.28 * s, 0.28 * s, 0.22 * s] : [0, 0, 0.55 * s];
  const pearson = input ? pearsonOf(input) : NaN;
  const axisNames = mode === 'toy' ? ['x', 'y', 'z'] : ['e₂ (A centred)', 'e₃', ''];

  return (
    <section className="centering" data-testid="centering-view">
      <div className="view-header">
        <h2>Why raw cosine is inflated</h2>
        <span className="muted">the seed’s Figure 0, live</span>
        <div className="segmented" role="group" aria-label="Data">
          {(['toy', 'real'] as const).map((m) => (
            <button key={m} aria-pressed={mode === m} data-testid={`mode-${m}`} onClick={() => setMode(m)}>
              {m === 'toy' ? 'toy vectors in 3-D' : 'real layer pair'}
            </button>
          ))}
        </div>
        <FigureActions target={figureRef} name="centering" svg={false} />
      </div>
      <p className="view-note">
        Removing each vector’s mean, <i>w = v − α·mean(v)·1</i>, slides it along the all-ones direction{' '}
        <b style={{ color: COLOR_ONES }}>1</b> onto the plane ⟂ 1 (blue). At α = 0 the cosine is the raw cosine; at α =
        1 it is Pearson r. Positive vectors share the direction 1, so their raw cosine is high whatever their patterns.{' '}
        {mode === 'toy'
          ? 'Drag the tips (or type coordinates) to try other vectors; drag elsewhere to turn, wheel to zoom.'
          : ''}
      </p>
      <div className="centering-body">
        <div className="fig3d-figure" ref={figureRef}>
          {input ? (
            <Stage
              overlay={overlay}
              frameloop={playing ? 'always' : 'demand'}
              className="centering-stage"
              testId="centering-stage"
              labels={(size) => (
                <>
                  <text
                    ref={nodes.figTitle}
                    className="fig-title"
                    x={size.width / 2}
                    y={26}
                    textAnchor="middle"
                    fontWeight="bold"
                  >
                    Raw cosine similarity (α = 0)
                  </text>
                  <g transform="translate(14,44)">
                    <rect className="fig-box" width={150} height={30} rx={3} />
                    <text ref={nodes.figCosine} className="fig-cos" x={10} y={21} data-testid="fig-cos">
                      cos = …
                    </text>
                  </g>
                  <text
                    ref={nodes.figAngle}
                    className="fig-angle"
                    x={size.width - 18}
                    y={size.height - 20}
                    textAnchor="end"
                    data-testid="fig-angle"
                  >
                    …
                  </text>
                  <g data-anchor="0,0,0" data-live="A">
                    <text className="tip-label" x={6} y={-6} fill={COLOR_A}>
                      A
                    </text>
                  </g>
                  <g data-anchor="0,0,0" data-live="B">
                    <text className="tip-label" x={6} y={-6} fill={COLOR_B}>
                      B
                    </text>
                  </g>
                  {/* where the draggable tips are on screen (tests and tools read data-sx, data-sy) */}
                  <g data-anchor="0,0,0" data-live="tipA" data-testid="anchor-tip-a" />
                  <g data-anchor="0,0,0" data-live="tipB" data-testid="anchor-tip-b" />
                  <g data-anchor="0,0,0" data-live="ones">
                    <text className="ones-label" x={6} y={4} fill={COLOR_ONES}>
                      {mode === 'toy' ? '1' : '1/√d'}
                    </text>
                  </g>
                  {axisNames.map(
                    (name, k) =>
                      name && (
                        <g key={name} data-anchor="0,0,0" data-live={`axis${k}`}>
                          <text className="axis-name" x={4} y={4}>
                            {name}
                          </text>
                        </g>
                      ),
                  )}
                </>
              )}
            >
              <OrbitRig
                orbit={orbit}
                target={target}
                distance={FIT_DISTANCE * s}
                distanceScale={distanceScale}
                onCommit={setCam}
                canOrbit={() => live.current.drag === null}
              />
              <CenteringScene
                input={input}
                live={live}
                nodes={nodes}
                overlay={overlay}
                orbit={orbit}
                target={target}
                distance={FIT_DISTANCE * s}
                distanceScale={distanceScale}
                onDragEnd={(which, v) => (which === 'a' ? setAText(formatVec3(v)) : setBText(formatVec3(v)))}
              />
            </Stage>
          ) : (
            <div className="fig3d-placeholder" data-testid="centering-waiting">
              {real.ok ? '' : real.reason}
            </div>
          )}
        </div>
        <aside className="centering-panel">
          <div className="transport">
            <button className="primary" data-testid="play-pause" onClick={togglePlay}>
              {playing ? '❚❚ pause' : '▶ play'}
            </button>
            <label className="alpha-slider">
              α, the share of each mean removed
              <input
                ref={nodes.slider}
                type="range"
                min={0}
                max={1}
                step={0.001}
                defaultValue={pausedAlpha ?? 0}
                data-testid="alpha-slider"
                onInput={(e) => scrub(Number((e.target as HTMLInputElement).value))}
              />
            </label>
          </div>
          <dl className="numbers readout" aria-live="off">
            <dt>α</dt>
            <dd ref={nodes.alpha} data-testid="readout-alpha">
              …
            </dd>
            <dt>
              cos(w<sub>A</sub>, w<sub>B</sub>)
            </dt>
            <dd ref={nodes.cosine} data-testid="readout-cos">
              …
            </dd>
            <dt>angle</dt>
            <dd ref={nodes.angle} data-testid="readout-angle">
              …
            </dd>
            <dt title="Centering never changes r: the cosine reaches it at α = 1">Pearson r</dt>
            <dd data-testid="readout-pearson">
              {Number.isFinite(pearson) ? pearson.toFixed(3).replace('-', '−') : 'n/a'}
            </dd>
          </dl>
          <label className="inline">
            <input
              type="checkbox"
              checked={follow}
              data-testid="follow"
              onChange={(e) => setFollow(e.target.checked ? '1' : '0')}
            />
            zoom with the vectors as they shrink
          </label>
          <p className="hint">
            {follow
              ? 'The camera moves in as the vectors shorten, so the angle stays visible; on-screen lengths are not comparable across α.'
              : 'True scale: the centred vectors are as short as the mean part leaves them.'}
          </p>
          {mode === 'toy' ? (
            <ToyInputs a={toyA} b={toyB} onA={(v) => setAText(formatVec3(v))} onB={(v) => setBText(formatVec3(v))} />
          ) : (
            <RealPanel real={real} norm={norm} />
          )}
        </aside>
      </div>
    </section>
  );
}
