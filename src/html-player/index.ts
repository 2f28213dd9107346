/**
 * Entry of the standalone HTML player (bundled to one IIFE by src/services/export/player-bundle.ts and inlined by
 * src/shared/export/html.ts). Reads the embedded trace, checks it like any trace file (`parseTrace` trusts nothing)
 * and starts the player at the last step; a damaged trace gets a readable message instead.
 */
import { HANDOUT_ELEMENT_ID, TRACE_ELEMENT_ID } from '../shared/export/html.ts';
import { readHandout } from '../shared/export/handout.ts';
import { handoutView } from './handout-view.ts';
import { parseTrace } from '../shared/trace/file.ts';
import { h } from './dom.ts';
import { Player } from './player.ts';
import { PLAYER_CSS } from './style.ts';

function start(): void {
  document.head.append(h('style', { text: PLAYER_CSS }));
  const root = document.getElementById('app') ?? document.body.appendChild(h('div', { attrs: { id: 'app' } }));
  const title = root.getAttribute('data-title') || document.title || 'Loopscope trace';
  try {
    const trace = parseTrace(document.getElementById(TRACE_ELEMENT_ID)?.textContent ?? '');
    const player = new Player(root, trace, title);
    (window as unknown as { loopscopePlayer?: Player }).loopscopePlayer = player;
    const handoutText = document.getElementById(HANDOUT_ELEMENT_ID)?.textContent;
    if (handoutText) {
      let handout = null;
      try {
        handout = readHandout(JSON.parse(handoutText));
      } catch {
        handout = null; // a damaged handout is left out; the trace still plays
      }
      if (handout) {
        root.append(handoutView(handout, (c) => player.seek(c)));
        player.markCheckpoints(handout.checkpoints);
      }
    }
  } catch (err) {
    root.replaceChildren(h('p', { class: 'fatal', attrs: { 'data-testid': 'fatal' }, text: `Cannot show this trace. ${err instanceof Error ? err.message : String(err)}` }));
  }
}

start();
