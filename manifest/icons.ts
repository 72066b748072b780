/**
 * Draws the two Teams app icons without any image library and writes them next to this file:
 *   - color.png   192x192, the white bridge mark on the brand blue (#2F5597), full bleed;
 *   - outline.png  32x32, the same mark in white on a transparent background (Teams accepts only
 *     white and transparent pixels in the outline icon).
 *
 * Run `tsx manifest/icons.ts` after changing the drawing; the PNGs are committed.
 * The encoder is the smallest valid PNG writer: signature, IHDR, one IDAT (zlib), IEND, each chunk
 * with its CRC-32. Edges are anti-aliased by supersampling, so the output is deterministic.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

export const BRAND_BLUE = { r: 0x2f, g: 0x55, b: 0x97 } as const;
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes per pixel) as a non-interlaced PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: ${rgba.length} octets pour ${width}x${height}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None: simple, and zlib still compresses flat areas well
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * The bridge mark in unit coordinates (0..1 on both axes, y downwards): an arch over a deck,
 * three hangers and two piers. `weight` thickens the strokes for the small outline icon.
 */
function bridgeMark(weight: number): (x: number, y: number) => boolean {
  const deckTop = 0.56;
  const deckBottom = deckTop + 0.07 * weight;
  const archCenterY = 0.62;
  const archOuter = 0.42;
  const archInner = archOuter - 0.07 * weight;
  const hangerHalf = 0.022 * weight;
  const pierHalf = 0.045 * weight;
  return (x, y) => {
    if (x >= 0.06 && x <= 0.94 && y >= deckTop && y <= deckBottom) return true; // deck
    const distance = Math.hypot(x - 0.5, y - archCenterY);
    if (y <= deckTop && distance <= archOuter && distance >= archInner) return true; // arch above the deck
    if (y <= deckTop && distance <= archInner) {
      for (const hx of [0.3, 0.5, 0.7]) if (Math.abs(x - hx) <= hangerHalf) return true; // hangers
    }
    if (y >= deckBottom && y <= 0.86) {
      for (const px of [0.24, 0.76]) if (Math.abs(x - px) <= pierHalf) return true; // piers
    }
    return false;
  };
}

/** Coverage of each pixel by the shape, 0..1, from a 4x4 supersampling grid. */
function rasterize(size: number, inset: number, shape: (x: number, y: number) => boolean): Float64Array {
  const samples = 4;
  const coverage = new Float64Array(size * size);
  const span = 1 - 2 * inset;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = ((px + (sx + 0.5) / samples) / size - inset) / span;
          const v = ((py + (sy + 0.5) / samples) / size - inset) / span;
          if (u >= 0 && u <= 1 && v >= 0 && v <= 1 && shape(u, v)) hits++;
        }
      }
      coverage[py * size + px] = hits / (samples * samples);
    }
  }
  return coverage;
}

/** 192x192: white mark blended over an opaque brand-blue square. */
export function drawColorIcon(): { width: number; height: number; rgba: Uint8Array } {
  const size = COLOR_ICON_SIZE;
  const coverage = rasterize(size, 0.18, bridgeMark(1));
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const c = coverage[i]!;
    rgba[i * 4] = Math.round(BRAND_BLUE.r + (255 - BRAND_BLUE.r) * c);
    rgba[i * 4 + 1] = Math.round(BRAND_BLUE.g + (255 - BRAND_BLUE.g) * c);
    rgba[i * 4 + 2] = Math.round(BRAND_BLUE.b + (255 - BRAND_BLUE.b) * c);
    rgba[i * 4 + 3] = 255;
  }
  return { width: size, height: size, rgba };
}

/** 32x32: pure white whose alpha is the coverage; uncovered pixels are fully transparent. */
export function drawOutlineIcon(): { width: number; height: number; rgba: Uint8Array } {
  const size = OUTLINE_ICON_SIZE;
  const coverage = rasterize(size, 0.03, bridgeMark(1.5));
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const alpha = Math.round(coverage[i]! * 255);
    if (alpha === 0) continue; // stays 0,0,0,0: transparent
    rgba.set([255, 255, 255, alpha], i * 4);
  }
  return { width: size, height: size, rgba };
}

export function writeIcons(directory = dirname(fileURLToPath(import.meta.url))): string[] {
  const written: string[] = [];
  for (const [name, icon] of [['color.png', drawColorIcon()], ['outline.png', drawOutlineIcon()]] as const) {
    const path = resolve(directory, name);
    writeFileSync(path, encodePng(icon.width, icon.height, icon.rgba));
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const path of writeIcons()) console.log(`Icône écrite : ${path}`);
}
