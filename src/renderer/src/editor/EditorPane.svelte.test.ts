import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { MemoryApi } from '../app/memory-api.test-support.ts';
import { LessonStore } from '../lessons/lesson-store.svelte.ts';
import EditorPane from './EditorPane.svelte';

// Monaco loads as its own chunk after the first paint; here it fails to start, as a chunk that cannot load would.
vi.mock('./code-editor.ts', () => ({
  CodeEditor: class {
    constructor() {
      throw new Error('no canvas in this test');
    }
  },
}));

describe('EditorPane', () => {
  it('says the editor could not be loaded, and still reports itself ready (the app does not wait forever)', async () => {
    const onReady = vi.fn();
    render(EditorPane, { props: { lessons: new LessonStore(new MemoryApi()), dark: false, fontSizePx: 13, onRun() {}, onReset() {}, onReady } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The code editor could not be loaded: no canvas in this test');
    await waitFor(() => expect(onReady).toHaveBeenCalledTimes(1));
    expect(screen.getByTestId('editor').getAttribute('aria-busy')).toBe('false');
  });
});
