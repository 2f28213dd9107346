import { describe, expect, it } from 'vitest';
import { instrumentNative } from './index.ts';

describe('instrumentNative (files Node itself loads in a run process)', () => {
  it('makes the statement a checkpoint marker points at a step in function mode too, inside a block', () => {
    const text = 'async function main() {\n  try {\n    // @checkpoint inside\n    await Promise.resolve(1);\n  } catch {}\n}\nmain();\n';
    const { frames } = instrumentNative({ path: 'main.ts', text }, { mode: 'function', frameIdBase: 30 });
    const statements = frames.filter((f) => f.kind === 'statement').map((f) => f.line);
    // line 4 (under the marker) besides the top-level statements (lines 1 and 7)
    expect(statements).toContain(4);
    expect(statements).not.toContain(2);
  });
});
