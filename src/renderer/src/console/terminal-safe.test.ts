// What a lesson's output may do to the app's console: colours, nothing else.
import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-safe.ts';

describe('terminalSafe', () => {
  it('keeps colours and styles (SGR), including 256-colour and true-colour sequences', () => {
    const text = '\x1b[31mred\x1b[0m \x1b[1;4mbold\x1b[m \x1b[38;5;208morange\x1b[39m \x1b[48;2;1;115;178mblue\x1b[49m \x1b[38:2::1:2:3mx\x1b[0m';
    expect(terminalSafe(text)).toBe(text);
  });

  it.each([
    ['clear screen and home', '\x1b[2J\x1b[Hfake prompt', '␛[2J␛[Hfake prompt'],
    ['cursor up over earlier lines', 'ok\n\x1b[1A\x1b[2Kall tests passed', 'ok\n␛[1A␛[2Kall tests passed'],
    ['window title (OSC 0)', '\x1b]0;Loopscope — trusted\x07x', '␛]0;Loopscope — trusted␇x'],
    ['hyperlink hiding its target (OSC 8)', '\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\', '␛]8;;https://evil.example␛\\docs␛]8;;␛\\'],
    ['clipboard write (OSC 52)', '\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07', '␛]52;c;Y3VybCBldmlsIHwgc2g=␇'],
    ['single-byte CSI (C1)', '\x9b2J', '⟨U+009B⟩2J'],
    ['carriage return overwriting a line', 'rm -rf ~\rsafe text', 'rm -rf ~␍safe text'],
    ['backspaces', 'evil\x08\x08\x08\x08good', 'evil␈␈␈␈good'],
    ['device status report (asks the terminal to answer)', '\x1b[6n', '␛[6n'],
    ['DEC private modes (alternate screen, hide cursor)', '\x1b[?1049h\x1b[?25l', '␛[?1049h␛[?25l'],
    ['conceal (hidden text) dropped from SGR', 'a\x1b[8msecret\x1b[0m', 'asecret\x1b[0m'],
    ['conceal among colours', '\x1b[31;8;1mx', '\x1b[31;1mx'],
    ['an ESC that starts nothing', 'a\x1bb\x1b', 'a␛b␛'],
  ])('%s', (_name, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('keeps newlines and tabs, and turns CRLF into a newline', () => {
    expect(terminalSafe('a\tb\r\nc\n')).toBe('a\tb\nc\n');
  });
});
