import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from './menu.ts';
import { resolveAssetPath } from '../services/app-protocol/asset-files.ts';
import { appProtocolHandler } from './window/app-protocol.ts';
import type { AppCommand } from '../shared/ipc/contract.ts';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  it.each([true, false])('has Run, Stop, Step and lesson navigation (mac: %s)', (isMac) => {
    const sent: AppCommand[] = [];
    const items = flatten(menuTemplate({ isMac, appName: 'Loopscope', actions: { command: (c) => sent.push(c), openExternal: () => {} } }));
    const byLabel = (label: string) => items.find((i) => i.label === label)!;
    expect(byLabel('Run').accelerator).toBe('CmdOrCtrl+Enter');
    // The page handles shortcuts itself; only macOS (where the menu takes keys first) registers them.
    expect(byLabel('Run').registerAccelerator).toBe(isMac);
    for (const label of ['Run', 'Stop', 'Step Forward', 'Step Back', 'Next Lesson', 'Previous Lesson']) {
      (byLabel(label).click as () => void)();
    }
    expect(sent).toEqual(['run', 'stop', 'step-forward', 'step-back', 'next-lesson', 'prev-lesson']);
    const roles = items.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'reload', 'toggleDevTools']));
    expect(roles.includes('appMenu')).toBe(isMac);
  });
});

describe('the loopscope:// app protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'loopscope-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Loopscope</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, '..', 'secret.txt'), 'secret');

  it('maps paths inside the renderer folder and refuses the rest', () => {
    expect(resolveAssetPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveAssetPath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    for (const bad of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/a%00b', '/..\\secret.txt', '/%E0%A4%A']) {
      expect(resolveAssetPath(root, bad)).toBeNull();
    }
  });

  it('serves files with the CSP and the right types, and 404s anything else', async () => {
    const handle = appProtocolHandler(root);
    const page = await handle(new Request('loopscope://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await handle(new Request('loopscope://app/assets/app.js'));
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await handle(new Request('loopscope://app/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('loopscope://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('loopscope://app/missing.js'))).status).toBe(404);
  });
});
