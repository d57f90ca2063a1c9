// The side panel of the centering view: the transport (play/pause, α slider), the readout, the
// follow toggle with its hint, and the toy inputs or the real pair's panel.
import type { RefObject } from 'react';
import type { NormRole } from '../../core/types';
import type { Vec3 } from '../scene3d/orbit';
import { formatPearson } from './centeringModel';
import type { CenteringMode } from './centeringModel';
import { RealPanel } from './RealPanel';
import type { RealPair } from './RealPanel';
import type { ReadoutNodes } from './sceneShared';
import { ToyInputs } from './ToyInputs';

interface TransportProps {
  playing: boolean;
  pausedAlpha: number | null;
  slider: RefObject<HTMLInputElement | null>;
  togglePlay: () => void;
  scrub: (value: number) => void;
}

export function TransportBar({ playing, pausedAlpha, slider, togglePlay, scrub }: TransportProps) {
  return (
    <div className="transport">
      <button className="primary" data-testid="play-pause" onClick={togglePlay}>
        {playing ? '❚❚ pause' : '▶ play'}
      </button>
      <label className="alpha-slider">
        α, the share of each mean removed
        <input
          ref={slider}
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
  );
}

export function Readout({ nodes, pearson }: { nodes: ReadoutNodes; pearson: number }) {
  return (
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
      <dd data-testid="readout-pearson">{formatPearson(pearson)}</dd>
    </dl>
  );
}

export function FollowControl({ follow, setFollow }: { follow: boolean; setFollow: (value: string) => void }) {
  return (
    <>
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
    </>
  );
}

interface PanelProps {
  transport: TransportProps;
  nodes: ReadoutNodes;
  pearson: number;
  follow: boolean;
  setFollow: (value: string) => void;
  mode: CenteringMode;
  toyA: Vec3;
  toyB: Vec3;
  onA: (v: Vec3) => void;
  onB: (v: Vec3) => void;
  real: RealPair;
  norm: NormRole;
}

export function CenteringPanel({
  transport,
  nodes,
  pearson,
  follow,
  setFollow,
  mode,
  toyA,
  toyB,
  onA,
  onB,
  real,
  norm,
}: PanelProps) {
  return (
    <aside className="centering-panel">
      <TransportBar {...transport} />
      <Readout nodes={nodes} pearson={pearson} />
      <FollowControl follow={follow} setFollow={setFollow} />
      {mode === 'toy' ? <ToyInputs a={toyA} b={toyB} onA={onA} onB={onB} /> : <RealPanel real={real} norm={norm} />}
    </aside>
  );
}
