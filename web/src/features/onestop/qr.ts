import qrcode from 'qrcode-generator';

/** A QR code as one SVG path: `size` modules square, quiet zone included. */
export interface QrShape {
  size: number;
  path: string;
}

/** UTF-8 bytes as the one-byte-per-char string qrcode-generator's Byte mode expects. */
function utf8(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join('');
}

/**
 * Encodes `text` (error correction M, smallest version that fits) and draws it as one path of
 * 1×1 squares in a viewBox of `size`, with a 4-module quiet zone as the standard asks.
 * Generated in the browser: nothing leaves the machine.
 */
export function qrShape(text: string, margin = 4): QrShape {
  const qr = qrcode(0, 'M');
  qr.addData(utf8(text), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const parts: string[] = [];
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.isDark(r, c)) {
        c++;
        continue;
      }
      // One horizontal run per stretch of dark modules keeps the path short.
      const start = c;
      while (c < n && qr.isDark(r, c)) c++;
      parts.push(`M${start + margin} ${r + margin}h${c - start}v1h-${c - start}z`);
    }
  }
  return { size: n + 2 * margin, path: parts.join('') };
}
