/**
 * The application menu: standard roles plus Loopscope's Run, Stop, Step and lesson navigation. Pure: returns a
 * template for `Menu.buildFromTemplate`; actions go back to the page as `app.command` events.
 *
 * Shortcuts: the page itself handles Run (Ctrl/Cmd+Enter) and the other keys (so browser mode and the editor
 * behave the same). On Windows and Linux the menu shows the accelerators without registering them
 * (`registerAccelerator: false`), so a key press is handled once, by the page. On macOS menu accelerators take
 * the key before the page, so there they are registered and arrive as commands.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../shared/ipc/contract.ts';

export interface MenuActions {
  command(command: AppCommand): void;
  openExternal(url: string): void;
}

export const COMMAND_ACCELERATORS: Readonly<Partial<Record<AppCommand, string>>> = {
  run: 'CmdOrCtrl+Enter',
  stop: 'Shift+F5',
  'step-forward': 'F10',
  'step-back': 'Shift+F10',
  'next-lesson': 'Alt+PageDown',
  'prev-lesson': 'Alt+PageUp',
  'open-folder': 'CmdOrCtrl+O',
  'open-trace': 'CmdOrCtrl+Shift+O',
};

export function menuTemplate(options: { isMac: boolean; appName: string; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { isMac, actions } = options;
  const item = (label: string, command: AppCommand): MenuItemConstructorOptions => {
    const accelerator = COMMAND_ACCELERATORS[command];
    return {
      label,
      ...(accelerator ? { accelerator, registerAccelerator: isMac } : {}),
      click: () => actions.command(command),
    };
  };
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ label: options.appName, role: 'appMenu' });
  template.push(
    {
      label: '&File',
      submenu: [
        item('Open Folder…', 'open-folder'),
        item('Open Trace…', 'open-trace'),
        { type: 'separator' },
        {
          label: 'Export Trace',
          submenu: [item('Loopscope trace…', 'export-loopscope'), item('Chrome trace (Perfetto)…', 'export-chrome'), item('Standalone HTML player…', 'export-html')],
        },
        { type: 'separator' },
        item('Reset Lesson to Original', 'reset-lesson'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', role: 'editMenu' },
    {
      label: '&Run',
      submenu: [item('Run', 'run'), item('Stop', 'stop'), { type: 'separator' }, item('Step Forward', 'step-forward'), item('Step Back', 'step-back')],
    },
    {
      label: '&Lesson',
      submenu: [item('Next Lesson', 'next-lesson'), item('Previous Lesson', 'prev-lesson')],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Theme', submenu: [item('Follow System', 'theme-system'), item('Light', 'theme-light'), item('Dark', 'theme-dark')] },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
      ],
    },
    { label: '&Window', role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'Node.js Event Loop Guide', click: () => actions.openExternal('https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick') }],
    },
  );
  return template;
}
