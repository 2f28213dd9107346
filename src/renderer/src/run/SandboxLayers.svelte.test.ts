import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SandboxLayers from './SandboxLayers.svelte';

describe('SandboxLayers', () => {
  it('shows the active layers and, opened, each layer with what it does', async () => {
    render(SandboxLayers, { props: { layers: ['os-sandbox: bubblewrap (no network)', 'limits: cgroup v1 pids.max=128 memory.limit_in_bytes=805306368', 'node permission model', 'limits', 'empty environment'] } });
    const button = screen.getByRole('button', { name: /Sandbox: bubblewrap · permission model · limits · empty environment/ });
    expect(button.textContent).toContain('bubblewrap');
    expect(button.textContent).not.toContain('permission model'); // one toolbar row: the rest is in the label and the list
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('title')).toContain('✓ OS sandbox (bubblewrap): no network.');
    await fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = screen.getAllByTestId('sandbox-layer');
    expect(items.map((i) => i.dataset.active)).toEqual(['true', 'true', 'true', 'true', 'true']);
    expect(items[2]!.textContent).toMatch(/permission model: reads only the run folder/);
    await fireEvent.keyDown(button, { key: 'Escape' });
    expect(screen.queryAllByTestId('sandbox-layer')).toEqual([]);
  });

  it('warns when the OS layer was missing and says why', async () => {
    render(SandboxLayers, { props: { layers: ['os-sandbox: unavailable (bwrap not found)', 'node permission model', 'limits', 'empty environment'] } });
    const button = screen.getByRole('button', { name: /Sandbox: no OS sandbox · permission model/ });
    expect(button.classList.contains('warn')).toBe(true);
    expect(button.textContent).toContain('not OS-sandboxed');
    await fireEvent.click(button);
    const missing = screen.getAllByTestId('sandbox-layer').find((i) => i.dataset.active === 'false')!;
    expect(missing.textContent).toContain('bubblewrap not installed: runs are not OS-sandboxed');
  });

  it('shows nothing before a run reported its layers', () => {
    render(SandboxLayers, { props: { layers: undefined } });
    expect(screen.queryByTestId('sandbox-layers')).toBeNull();
  });
});
