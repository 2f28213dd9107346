import { describe, expect, it } from 'vitest';
import { toHtmlPlayer } from '../export/html.ts';
import { eventLoopExample } from '../scene/scripted-trace.ts';
import { serializeTrace } from './file.ts';
import { checkTraceFileSize, MAX_TRACE_FILE_BYTES, readTraceFile, traceFromPlayerHtml } from './open-trace.ts';

describe('opening a saved trace', () => {
  const trace = eventLoopExample();
  const text = serializeTrace(trace);

  it('reads the own format and the trace inside an exported HTML player, identically', () => {
    const own = readTraceFile('a.loopscope.json', text);
    expect(own.count).toBe(trace.count);
    expect(Array.from(own.kind.subarray(0, own.count))).toEqual(Array.from(trace.kind.subarray(0, trace.count)));
    const page = toHtmlPlayer(text, 'console.log("player </script> <!-- here")', 'A <b>title</b>');
    expect(traceFromPlayerHtml(page)).not.toBeNull();
    const fromHtml = readTraceFile('a.html', page);
    expect(serializeTrace(fromHtml)).toBe(serializeTrace(own));
  });

  it('says what is wrong with a bad file', () => {
    expect(() => readTraceFile('x.json', '')).toThrow('x.json is empty');
    expect(() => readTraceFile('x.json', 'hello')).toThrow(/^x.json: This is not a valid Loopscope trace: it is not JSON/);
    expect(() => readTraceFile('x.json', '{"format":"other"}')).toThrow('its format is "other"');
    expect(() => readTraceFile('p.html', '<!doctype html><html><body>hi</body></html>')).toThrow('p.html is an HTML page without a Loopscope trace');
    expect(() => readTraceFile('c.json', '{"traceEvents":[]}')).toThrow('c.json is a Chrome trace');
    const broken = text.replace('"kind":"', '"kind":"AAAA');
    expect(() => readTraceFile('b.json', broken)).toThrow(/^b.json: This is not a valid Loopscope trace/);
    expect(() => checkTraceFileSize('big.json', MAX_TRACE_FILE_BYTES + 1)).toThrow('big.json is 512 MB; Loopscope opens traces up to 512 MB.');
  });
});
