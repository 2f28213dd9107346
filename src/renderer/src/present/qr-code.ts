/**
 * A QR code of a short text (the class session's join URL) as one SVG path, so the class panel can draw it inline:
 * no image element, no data: URL, nothing the CSP has to allow. Encoding is uqr's (byte mode, ISO/IEC 18004); this
 * file only turns its module matrix into path runs.
 *
 * Error correction M (15 %): a projected code loses contrast and gets keystoned; M keeps a join URL of ~70
 * characters at version 5 (37 modules), big modules for a phone camera across a room. The quiet zone of 4 modules
 * is the one the standard asks for — without it phone readers often fail against a dark theme.
 */
import { encode } from 'uqr';

export interface QrPath {
  /** Modules per side, quiet zone included: the SVG's viewBox is `0 0 size size`. */
  readonly size: number;
  /** The dark modules as one path: one `h` run per row of adjacent dark modules. */
  readonly d: string;
}

export const QR_QUIET_ZONE = 4;

export function qrPath(text: string): QrPath {
  const qr = encode(text, { ecc: 'M', border: QR_QUIET_ZONE });
  const parts: string[] = [];
  qr.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return { size: qr.size, d: parts.join('') };
}
