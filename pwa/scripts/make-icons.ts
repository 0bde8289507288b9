/**
 * Writes Till's app icons (PNG) into public/icons. No image library: shapes are rasterised by
 * hand with 4×4 supersampling and encoded with node:zlib. Run: `npx tsx pwa/scripts/make-icons.ts`.
 * The PNGs are committed; rerun this only when the design changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
/** A shape answers whether a point (in 0…1 icon coordinates) is inside it. */
type Shape = (x: number, y: number) => boolean;

const NAVY: Rgb = [15, 23, 42];
const WHITE: Rgb = [248, 250, 252];
const GREEN: Rgb = [34, 197, 94];

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** The glyph: a bold "T" over a green bar (a till's cash drawer), scaled into a safe box. */
function glyph(scale: number): Array<[Shape, Rgb]> {
  const s = (v: number) => 0.5 + (v - 0.5) * scale;
  return [
    [roundedRect(s(0.22), s(0.2), s(0.78), s(0.34), 0.03 * scale), WHITE],
    [roundedRect(s(0.43), s(0.2), s(0.57), s(0.7), 0.03 * scale), WHITE],
    [roundedRect(s(0.22), s(0.74), s(0.78), s(0.82), 0.03 * scale), GREEN],
  ];
}

function render(size: number, layers: Array<[Shape, Rgb | null]>): Buffer {
  const samples = 4;
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let colour: Rgb | null = null;
          for (const [inside, fill] of layers) if (inside(x, y)) colour = fill;
          if (colour) {
            r += colour[0];
            g += colour[1];
            b += colour[2];
            a += 1;
          }
        }
      }
      const offset = 1 + px * 4;
      if (a > 0) {
        row[offset] = Math.round(r / a);
        row[offset + 1] = Math.round(g / a);
        row[offset + 2] = Math.round(b / a);
      }
      row[offset + 3] = Math.round((a / (samples * samples)) * 255);
    }
    rows.push(row);
  }
  return encodePng(size, Buffer.concat(rows));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size: number, scanlines: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });
const rounded: Array<[Shape, Rgb | null]> = [[roundedRect(0, 0, 1, 1, 0.18), NAVY], ...glyph(1)];
// Maskable: full-bleed background; the glyph stays inside the central 80 % safe zone.
const maskable: Array<[Shape, Rgb | null]> = [[() => true, NAVY], ...glyph(0.72)];
writeFileSync(join(outDir, 'icon-192.png'), render(192, rounded));
writeFileSync(join(outDir, 'icon-512.png'), render(512, rounded));
writeFileSync(join(outDir, 'icon-maskable-512.png'), render(512, maskable));
writeFileSync(join(outDir, 'apple-touch-icon-180.png'), render(180, maskable));
console.log(`icons written to ${outDir}`);
