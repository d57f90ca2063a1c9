// Figure 0 live: why raw cosine is inflated. Two positive vectors slide onto the plane ⟂ 1 as
// α goes 0 → 1; their cosine falls to Pearson r. Toy vectors (draggable) or a real layer pair.
// Wiring only: state hooks in useCenteringState, pure computations in centeringModel, the parts in
// DataToggle and CenteringNote in the shared ViewFrame, FigureLabels, CenteringPanel and CenteringScene.
import { useMemo, useRef } from 'react';
import { useApp } from '../../state/storeContext';
import { Figure3D } from '../scene3d/Figure3D';
import { LabelOverlay } from '../scene3d/labels';
import { OrbitRig } from '../scene3d/OrbitRig';
import { Stage } from '../scene3d/Stage';
import { CenteringNote, DataToggle } from './CenteringHeader';
import { ViewFrame } from '../ViewFrame';
import { CenteringPanel } from './CenteringPanel';
import { CenteringScene } from './CenteringScene';
import {
  DEFAULT_TOY,
  formatVec3,
  orbitTarget,
  parseVec3,
  pausedAlphaOf,
  pearsonOf,
  realInput,
  sceneScale,
  toyInput,
} from './centeringModel';
import type { CenteringInput } from './centeringModel';
import { FigureLabels } from './FigureLabels';
import { useRealPair } from './RealPanel';
import { useCenteringUrl, useOrbitFromUrl, useReducedMotion, useTransport } from './useCenteringState';

/** camera distance at zoom 1, in units of the longer raw vector */
const FIT_DISTANCE = 3.6;

export function CenteringView() {
  return (
    <Figure3D>
      <CenteringFigure />
    </Figure3D>
  );
}

function CenteringFigure() {
  const url = useCenteringUrl();
  const { mode, aText, bText, setAText, setBText } = url;
  const norm = useApp((s) => s.query.norm);
  const real = useRealPair();

  // prefers-reduced-motion: no autoplay; the animation starts paused at α = 0 until Play ("alpha=play")
  const reduceMotion = useReducedMotion();
  const pausedAlpha = pausedAlphaOf(reduceMotion, url.alphaText);
  const toyA = parseVec3(aText, DEFAULT_TOY.a),
    toyB = parseVec3(bText, DEFAULT_TOY.b);
  const realBasis = mode === 'real' && real.ok ? real.basis : null;
  const input: CenteringInput | null = useMemo(() => {
    if (mode === 'toy') return toyInput(parseVec3(aText, DEFAULT_TOY.a), parseVec3(bText, DEFAULT_TOY.b));
    return realBasis ? realInput(realBasis) : null;
  }, [mode, aText, bText, realBasis]);

  const orbit = useOrbitFromUrl(url.camText, mode);
  const { live, nodes, playing, togglePlay, scrub } = useTransport(
    pausedAlpha,
    url.follow,
    reduceMotion,
    url.setAlphaText,
  );
  const distanceScale = useRef(1);
  const overlay = useMemo(() => new LabelOverlay(), []);
  const figureRef = useRef<HTMLDivElement>(null);

  const s = input ? sceneScale(input) : 1;
  const target = orbitTarget(mode, s);
  const pearson = input ? pearsonOf(input) : NaN;

  return (
    <ViewFrame
      id="centering"
      className="centering"
      testId="centering-view"
      title="Why raw cosine is inflated"
      figure="the seed’s Figure 0, live"
      header={<DataToggle mode={mode} setMode={url.setMode} />}
      figureRef={figureRef}
      svg={false}
      note={<CenteringNote mode={mode} />}
    >
      <div className="centering-body">
        <div className="fig3d-figure" ref={figureRef}>
          {input ? (
            <Stage
              overlay={overlay}
              frameloop={playing ? 'always' : 'demand'}
              className="centering-stage"
              testId="centering-stage"
              labels={(size) => <FigureLabels size={size} nodes={nodes} mode={mode} />}
            >
              <OrbitRig
                orbit={orbit}
                target={target}
                distance={FIT_DISTANCE * s}
                distanceScale={distanceScale}
                onCommit={url.setCam}
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
        <CenteringPanel
          transport={{ playing, pausedAlpha, slider: nodes.slider, togglePlay, scrub }}
          nodes={nodes}
          pearson={pearson}
          follow={url.follow}
          setFollow={url.setFollow}
          mode={mode}
          toyA={toyA}
          toyB={toyB}
          onA={(v) => setAText(formatVec3(v))}
          onB={(v) => setBText(formatVec3(v))}
          real={real}
          norm={norm}
        />
      </div>
    </ViewFrame>
  );
}
