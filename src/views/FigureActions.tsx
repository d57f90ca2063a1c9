// PNG (and SVG for 2-D charts) download of a figure, from the element it draws into; and CSV of the
// numbers it shows, when the view provides them.
import type { RefObject } from 'react';
import { saveBlob as save, saveCsv } from './download';

function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // inline the computed styles that the stylesheet gave, so the file stands alone
  const src = svg.querySelectorAll('*');
  clone.querySelectorAll('*').forEach((el, i) => {
    const cs = getComputedStyle(src[i]!);
    (el as SVGElement).setAttribute(
      'style',
      ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight', 'opacity']
        .map((p) => `${p}:${cs.getPropertyValue(p)}`)
        .join(';'),
    );
  });
  return new XMLSerializer().serializeToString(clone);
}

async function toPng(el: Element, scale = 2): Promise<Blob> {
  const { width, height } = el.getBoundingClientRect();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  ctx.imageSmoothingEnabled = false; // heatmaps are one pixel per cell: keep the cells sharp
  // draw every canvas and svg inside the element at its offset (the figures stack them)
  const origin = el.getBoundingClientRect();
  const layers =
    el instanceof HTMLCanvasElement || el instanceof SVGSVGElement
      ? [el]
      : Array.from(el.querySelectorAll('canvas, svg'));
  for (const layer of layers) {
    const r = layer.getBoundingClientRect();
    if (layer instanceof HTMLCanvasElement)
      ctx.drawImage(layer, r.left - origin.left, r.top - origin.top, r.width, r.height);
    else if (layer instanceof SVGSVGElement) {
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(layer))}`;
      await img.decode();
      ctx.drawImage(img, r.left - origin.left, r.top - origin.top, r.width, r.height);
    }
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

export function FigureActions({
  target,
  name,
  svg = true,
  csv,
}: {
  target: RefObject<Element | null>;
  name: string;
  svg?: boolean;
  /** the numbers shown, as CSV text (computed on click) */
  csv?: () => string;
}) {
  return (
    <span className="figure-actions">
      <button
        className="small"
        data-testid={`png-${name}`}
        onClick={async () => {
          if (target.current) save(await toPng(target.current), `${name}.png`);
        }}
      >
        PNG
      </button>
      {svg && (
        <button
          className="small"
          data-testid={`svg-${name}`}
          onClick={() => {
            const el = target.current;
            const svgEl = el instanceof SVGSVGElement ? el : el?.querySelector('svg');
            if (svgEl) save(new Blob([svgText(svgEl)], { type: 'image/svg+xml' }), `${name}.svg`);
          }}
        >
          SVG
        </button>
      )}
      {csv && (
        <button className="small" data-testid={`csv-${name}`} onClick={() => saveCsv(csv(), `${name}.csv`)}>
          CSV
        </button>
      )}
    </span>
  );
}
