/**
 * The desktop app's trust prompt: a native message box shown by the main process, which the page can neither
 * style, cover, nor answer. AppService calls it (as `askTrust`) from `lessons.trust`; only its answer trusts a
 * folder. Cancel is the default and the cancel button (Escape, closing the box). Electron-only but imports only
 * types from 'electron', so it is unit-tested with a fake dialog.
 */
import type { BaseWindow, Dialog, MessageBoxOptions } from 'electron';
import { revealInvisible } from '../shared/content/visible-text.ts';

export const TRUST_BUTTONS = ['Cancel', 'Run'] as const;

export function trustMessageBox(request: { folder: string; title: string }): MessageBoxOptions {
  return {
    type: 'warning',
    title: 'Run a lesson from outside Loopscope?',
    message: `Run “${revealInvisible(request.title)}”?`,
    detail:
      `It comes from ${revealInvisible(request.folder)}.\n\n` +
      "Its code runs in Loopscope's sandbox: a separate process that cannot read your files outside the lesson, start programs or " +
      'load native add-ons, and that is stopped when it runs too long or uses too much memory. The sandbox does not block network ' +
      'access. Run lessons from people you trust.\n\nYour answer is remembered for every lesson in this folder.',
    buttons: [...TRUST_BUTTONS],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    normalizeAccessKeys: false,
  };
}

/** Shows the native prompt (modal to `window` when there is one); true only when the user chose Run. */
export async function askTrustNatively(dialog: Pick<Dialog, 'showMessageBox'>, window: BaseWindow | null, request: { folder: string; title: string }): Promise<boolean> {
  const options = trustMessageBox(request);
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return response === TRUST_BUTTONS.indexOf('Run');
}
