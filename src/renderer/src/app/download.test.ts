import { describe, expect, it } from 'vitest';
import { uniqueFileName } from './download.ts';

describe('download names', () => {
  it('are unique: the lesson, the time to the second, and a counter within the same second', () => {
    const t = new Date(2026, 11, 6, 21, 30, 5);
    const a = uniqueFileName('worker-pool', '.html', t);
    const b = uniqueFileName('worker-pool', '.html', t);
    expect(a).toBe('worker-pool-20261206-213005.html');
    expect(b).toBe('worker-pool-20261206-213005-2.html');
    expect(uniqueFileName('../etc/passwd', '.json', new Date(2026, 11, 6, 21, 30, 6))).toBe('___etc_passwd-20261206-213006.json');
  });
});
