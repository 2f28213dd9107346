// The class panel's QR code decodes, with a real QR reader (jsQR), to exactly the join URL: the SVG path is
// rasterised module by module as a camera would see it (dark on white) and handed to the decoder.
import { render, screen } from '@testing-library/svelte';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { MemoryApi } from '../app/memory-api.test-support.ts';
import type { Call, ClassStatus } from '../../../shared/ipc/contract.ts';
import ClassPanel from './ClassPanel.svelte';
import { qrPath } from './qr-code.ts';
import QrCode from './QrCode.svelte';

const JOIN = 'http://192.168.1.23:45187/#view=follow&join=Zq3-8xY_k2LmN0pQrStUvWx';

/** Reads back an SVG QR (viewBox + one path of `M x y h w v1 h-w z` runs) into RGBA pixels, `px` per module. */
function rasterise(svg: SVGSVGElement, px = 4): { data: Uint8ClampedArray; width: number } {
  const size = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
  const width = size * px;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const d = svg.querySelector('path')!.getAttribute('d')!;
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    expect(Number(m[4])).toBe(w);
    for (let yy = y * px; yy < (y + 1) * px; yy++) {
      for (let xx = x * px; xx < (x + w) * px; xx++) data.fill(0, (yy * width + xx) * 4, (yy * width + xx) * 4 + 3);
    }
  }
  return { data, width };
}

describe('QR code of the join URL', () => {
  it('decodes to exactly the text it was given', () => {
    render(QrCode, { props: { text: JOIN, label: 'QR code of the join URL' } });
    const svg = screen.getByRole('img', { name: 'QR code of the join URL' }) as unknown as SVGSVGElement;
    const { data, width } = rasterise(svg);
    expect(jsQR(data, width, width)?.data).toBe(JOIN);
  });

  it('keeps the quiet zone and grows with the text (a longer URL is a bigger code, still exact)', () => {
    const short = qrPath('http://10.0.0.2:4000/');
    const long = qrPath(`${JOIN}${'x'.repeat(120)}`);
    expect(long.size).toBeGreaterThan(short.size);
    expect(short.d).not.toMatch(/M[0-3] /); // nothing dark in the 4-module quiet zone on the left
    render(QrCode, { props: { text: `${JOIN}${'x'.repeat(120)}`, label: 'long', testid: 'long' } });
    const { data, width } = rasterise(screen.getByTestId('long') as unknown as SVGSVGElement);
    expect(jsQR(data, width, width)?.data).toBe(`${JOIN}${'x'.repeat(120)}`);
  });

  it('appears in the class panel once the session is open, named for screen readers, and is gone when closed', async () => {
    const api = new MemoryApi();
    let status: ClassStatus = { open: false, url: null, viewers: 0, refused: 0 };
    api.answer = (call: Call) => {
      if (call.type === 'class.interfaces') return { hosts: ['127.0.0.1', '192.168.1.23'] };
      if (call.type === 'class.open') status = { open: true, url: JOIN, viewers: 0, refused: 0 };
      if (call.type === 'class.close') status = { open: false, url: null, viewers: 0, refused: 0 };
      return status;
    };
    render(ClassPanel, { props: { api, onOpened: () => {}, onStatus: () => {} } });
    const open = await screen.findByTestId('class-open');
    await expect.poll(() => (open as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('class-qr')).toBeNull();
    open.click();
    const qr = (await screen.findByRole('img', { name: /QR code of the join URL/ })) as unknown as SVGSVGElement;
    expect(qr.getAttribute('width')).toBe('240');
    const { data, width } = rasterise(qr);
    expect(jsQR(data, width, width)?.data).toBe((screen.getByTestId('class-url') as HTMLInputElement).value);
    screen.getByTestId('class-close').click();
    await expect.poll(() => screen.queryByTestId('class-qr')).toBeNull();
  });
});
