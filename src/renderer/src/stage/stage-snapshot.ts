/**
 * A picture of the stage at the current step, for slides: the stage's DOM cloned with its computed styles inlined
 * into an SVG <foreignObject> (a self-contained .svg that opens in any browser), and a PNG drawn from that SVG at
 * twice the size. No external resources are referenced, so the image does not depend on the app.
 */

// The properties that give the stage its look; inlining every computed property would make files ten times bigger.
const PROPS = [
  'display', 'position', 'top', 'left', 'right', 'bottom', 'box-sizing', 'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border-top', 'border-right', 'border-bottom', 'border-left', 'border-radius', 'background-color', 'background-image', 'color', 'opacity', 'box-shadow',
  'font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'text-transform', 'text-align', 'text-overflow', 'white-space', 'overflow',
  'flex-direction', 'flex-wrap', 'flex-grow', 'flex-shrink', 'flex-basis', 'align-items', 'align-self', 'justify-content', 'gap', 'order',
  'grid-template-columns', 'grid-template-rows', 'grid-template-areas', 'grid-area', 'grid-auto-flow', 'list-style-type', 'vertical-align', 'visibility', 'transform',
  'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'font-variant-numeric',
];

function inlineStyles(source: Element, target: Element): void {
  const cs = getComputedStyle(source);
  let style = '';
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) style += `${p}:${v};`;
  }
  target.setAttribute('style', style);
  target.removeAttribute('class');
  for (let i = 0; i < source.children.length; i++) {
    const s = source.children[i]!;
    const t = target.children[i];
    if (t) inlineStyles(s, t);
  }
}

/** The stage element as a standalone SVG document (its visible size, the full height of its content). */
export function stageSvg(stage: HTMLElement): { svg: string; width: number; height: number } {
  const width = Math.ceil(stage.clientWidth);
  const height = Math.ceil(Math.max(stage.scrollHeight, stage.clientHeight));
  const clone = stage.cloneNode(true) as HTMLElement;
  inlineStyles(stage, clone);
  clone.style.height = `${height}px`;
  clone.style.overflow = 'visible';
  for (const el of clone.querySelectorAll('[tabindex], [data-testid]')) {
    el.removeAttribute('tabindex');
  }
  const bg = getComputedStyle(stage).backgroundColor;
  const body = new XMLSerializer().serializeToString(clone);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="${bg}"/><foreignObject x="0" y="0" width="${width}" height="${height}">${body}</foreignObject></svg>`;
  return { svg, width, height };
}

/** The SVG drawn into a canvas at `scale`, as PNG bytes. */
export async function stagePng(stage: HTMLElement, scale = 2): Promise<Blob> {
  const { svg, width, height } = stageSvg(stage);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}
