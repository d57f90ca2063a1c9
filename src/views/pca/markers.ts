// Sprite textures of the PCA markers, drawn from the same SVG paths as the legend (Path2D).
import { CanvasTexture, SRGBColorSpace } from 'three';
import { markerPath } from './pcaModel';
import type { MarkerShape } from './pcaModel';

export type SpriteKind = MarkerShape | 'star' | 'ring';

const SIZE = 64;
const cache = new Map<string, CanvasTexture>();

/** A marker in its model's colour with a white rim (as the seed's); the star gets a black rim, the ring is an outline. */
export function markerTexture(kind: SpriteKind, color: string): CanvasTexture {
  const key = `${kind}|${color}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SIZE;
  const ctx = canvas.getContext('2d')!;
  ctx.translate(SIZE / 2, SIZE / 2);
  if (kind === 'ring') {
    ctx.lineWidth = 6;
    ctx.strokeStyle = color;
    ctx.stroke(new Path2D(markerPath('circle', SIZE / 2 - 5)));
  } else {
    const path = new Path2D(markerPath(kind, SIZE / 2 - 6));
    ctx.fillStyle = color;
    ctx.fill(path);
    ctx.lineWidth = kind === 'star' ? 4 : 5;
    ctx.strokeStyle = kind === 'star' ? '#111' : '#fff';
    ctx.stroke(path);
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  cache.set(key, texture);
  return texture;
}
