import { describe, expect, it } from 'vitest';
import { cameraPosition, dragOrbit, formatCam, MAX_ZOOM, OrbitStore, parseCam, zoomOrbit } from './orbit';

const base = { azimuth: 30, elevation: 20, zoom: 1 };

describe('orbit', () => {
  it('places the camera on a sphere around the target, z up', () => {
    const [x, y, z] = cameraPosition({ azimuth: 0, elevation: 90 - 1e-9, zoom: 2 }, [1, 2, 3], 10);
    expect(x).toBeCloseTo(1, 6);
    expect(y).toBeCloseTo(2, 6);
    expect(z).toBeCloseTo(8, 6);
    const p = cameraPosition({ azimuth: 90, elevation: 0, zoom: 1 }, [0, 0, 0], 4);
    expect(p[1]).toBeCloseTo(4, 12);
  });
  it('drags turn and tilt, with the elevation kept off the poles and the azimuth wrapped', () => {
    expect(dragOrbit(base, 100, 0).azimuth).toBeCloseTo(-10, 9);
    expect(dragOrbit(base, 0, 1000).elevation).toBe(89);
    expect(dragOrbit({ ...base, azimuth: 175 }, -25, 0).azimuth).toBeCloseTo(-175, 9);
  });
  it('zooms by a fixed factor per wheel notch, within bounds', () => {
    expect(zoomOrbit(base, -100).zoom).toBeCloseTo(1.15, 12);
    expect(zoomOrbit(zoomOrbit(base, -100), 100).zoom).toBeCloseTo(1, 12);
    let s = base;
    for (let k = 0; k < 100; k++) s = zoomOrbit(s, -500);
    expect(s.zoom).toBe(MAX_ZOOM);
  });
  it('round-trips through the URL and rejects garbage', () => {
    expect(parseCam(formatCam({ azimuth: 12.34, elevation: -5.55, zoom: 1.234 }), base)).toEqual({
      azimuth: 12.3,
      elevation: -5.5,
      zoom: 1.23,
    });
    expect(parseCam('1,2', base)).toBe(base);
    expect(parseCam('a,b,c', base)).toBe(base);
    expect(parseCam('0,0,1000', base).zoom).toBe(MAX_ZOOM);
  });
  it('notifies every subscriber of a change, and only of a change', () => {
    const store = new OrbitStore(base);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.subscribe(() => calls++);
    store.set(dragOrbit(base, 10, 0));
    store.set(store.state);
    expect(calls).toBe(2);
    off();
    store.set(base);
    expect(calls).toBe(3);
  });
});
