/**
 * The phase ring of one agent in the standalone player, drawn as inline SVG from the app's own ring geometry
 * (src/shared/scene/phase-ring.ts, the same as the stage's PhaseRing.svelte): the five loop phases as arcs, the
 * current one lit and thicker with its glyph and name, a pointer turned to it, and the middle naming the phase or
 * "microtasks" while the queues drain. Never colour alone: each arc has its glyph and its name beside it.
 */
import { PHASE_LOOK, RING_PHASES } from '../shared/scene/palette.ts';
import { RING_C, RING_NOTE, RING_R, RING_SHORT, RING_VIEWBOX, ringArc, ringLabelPos, ringNameAnchor, ringState } from '../shared/scene/phase-ring.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, children: readonly (Node | string)[] = []): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

export function phaseRing(phase: number, inCheckpoint: boolean, widthCssPx = 156): SVGSVGElement {
  const st = ringState(phase, inCheckpoint);
  const vb = RING_VIEWBOX;
  const parts: SVGElement[] = [];
  RING_PHASES.forEach((p, i) => {
    const look = PHASE_LOOK[p]!;
    const on = i === st.index && !inCheckpoint;
    const lp = ringLabelPos(i);
    const np = ringLabelPos(i, RING_R + 12);
    parts.push(
      s('path', { d: ringArc(i), fill: 'none', stroke: look.color, 'stroke-width': on ? 13 : 8, opacity: on ? 1 : 0.35 }),
      s('text', { x: lp.x, y: lp.y, class: on ? 'seg on' : 'seg', 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, [look.glyph]),
      s('text', { x: np.x, y: np.y, class: on ? 'name on' : 'name', 'text-anchor': ringNameAnchor(i), 'dominant-baseline': 'middle', 'data-testid': 'ring-phase', 'data-on': String(on) }, [
        RING_SHORT[p] ?? '',
        s('title', {}, [RING_NOTE[p] ?? RING_SHORT[p] ?? '']),
      ]),
    );
  });
  if (st.index >= 0) {
    parts.push(
      s('g', { transform: `rotate(${st.angleDeg} ${RING_C} ${RING_C})` }, [
        s('line', { x1: RING_C, y1: RING_C, x2: RING_C, y2: RING_C - RING_R + 14, stroke: 'currentColor', 'stroke-width': 2 }),
        s('circle', { cx: RING_C, cy: RING_C, r: 3, fill: 'currentColor' }),
      ]),
    );
  }
  parts.push(
    s('text', { x: RING_C, y: RING_C + 14, class: 'centre-glyph', 'text-anchor': 'middle' }, [st.centreGlyph]),
    s('text', { x: RING_C, y: RING_C + 26, class: 'centre', 'text-anchor': 'middle' }, [st.centre]),
  );
  return s(
    'svg',
    {
      class: 'ring',
      viewBox: `${vb.x} ${vb.y} ${vb.width} ${vb.height}`,
      width: widthCssPx,
      height: Math.round((widthCssPx * vb.height) / vb.width),
      role: 'img',
      'aria-label': `Event loop phase: ${st.centre}`,
      'data-testid': 'phase-ring',
      'data-phase': inCheckpoint ? 'microtasks' : (PHASE_LOOK[phase]?.name ?? ''),
    },
    parts,
  );
}
