// The centering figure's state hooks: the URL parameters, reduced motion, the orbit store fed from
// the URL, and the transport (play/pause, the α slider) over the `live` ref the scene animates.
import { useEffect, useRef, useState } from 'react';
import { invalidate } from '@react-three/fiber';
import { useViewParam } from '../viewState';
import { frameProbe } from '../scene3d/frameStats';
import { OrbitStore, formatCam, parseCam } from '../scene3d/orbit';
import type { OrbitState } from '../scene3d/orbit';
import { DEFAULT_TOY, formatAlpha, formatVec3, timeForAlpha } from './centeringModel';
import type { CenteringMode } from './centeringModel';
import type { CenteringLive, ReadoutNodes } from './sceneShared';

const DEFAULT_CAM: Record<CenteringMode, OrbitState> = {
  toy: { azimuth: -20, elevation: 40, zoom: 1 },
  real: { azimuth: -62, elevation: 16, zoom: 1 },
};
/** how long after the last slider step the URL gets the new α */
const ALPHA_COMMIT_MS = 200;

/** The figure's URL state (the URL is the truth for mode, α, the toy vectors, camera and follow). */
export function useCenteringUrl() {
  const [modeText, setMode] = useViewParam('mode', 'toy');
  const mode: CenteringMode = modeText === 'real' ? 'real' : 'toy';
  const [alphaText, setAlphaText] = useViewParam('alpha', '');
  const [aText, setAText] = useViewParam('a', formatVec3(DEFAULT_TOY.a));
  const [bText, setBText] = useViewParam('b', formatVec3(DEFAULT_TOY.b));
  const [camText, setCam] = useViewParam('cam', formatCam(DEFAULT_CAM[mode]));
  const [followText, setFollow] = useViewParam('follow', '1');
  const follow = followText === '1';
  return {
    mode,
    setMode,
    alphaText,
    setAlphaText,
    aText,
    setAText,
    bText,
    setBText,
    camText,
    setCam,
    follow,
    setFollow,
  };
}

/** prefers-reduced-motion, read once at mount. */
export function useReducedMotion(): boolean {
  const [reduceMotion] = useState(
    () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches,
  );
  return reduceMotion;
}

/** The orbit store, created from the URL's camera; later changes arrive through the effect. */
export function useOrbitFromUrl(camText: string, mode: CenteringMode): OrbitStore {
  const [orbit] = useState(() => new OrbitStore(parseCam(camText, DEFAULT_CAM[mode])));
  useEffect(() => orbit.set(parseCam(camText, DEFAULT_CAM[mode])), [camText, mode, orbit]);
  return orbit;
}

/** Refs to the DOM nodes the scene writes its readouts into. */
function useReadoutNodes(): ReadoutNodes {
  return {
    alpha: useRef<HTMLElement>(null),
    cosine: useRef<HTMLElement>(null),
    angle: useRef<HTMLElement>(null),
    figCosine: useRef<SVGTextElement>(null),
    figAngle: useRef<SVGTextElement>(null),
    figTitle: useRef<SVGTextElement>(null),
    slider: useRef<HTMLInputElement>(null),
  };
}

/**
 * The animation clock's transport: the `live` ref the scene animates, kept in step with the URL's
 * play/pause and paused α (null: playing), and the play/pause and slider handlers that write the URL.
 */
export function useTransport(
  pausedAlpha: number | null,
  follow: boolean,
  reduceMotion: boolean,
  setAlphaText: (value: string) => void,
) {
  const playing = pausedAlpha === null;
  const live = useRef<CenteringLive>({
    alpha: pausedAlpha ?? 0,
    playing,
    t: timeForAlpha(pausedAlpha ?? 0),
    lastNow: null,
    drag: null,
    follow,
  });
  live.current.follow = follow;
  const nodes = useReadoutNodes();
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

  return { live, nodes, playing, togglePlay, scrub };
}
