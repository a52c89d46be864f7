// Small image files of each format, built byte by byte, for the image rules and the hostile-content tests.
import { deflateSync } from "node:zlib";

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const u32be = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u16le = (n: number): number[] => [n & 255, (n >>> 8) & 255];
const u32le = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

function crc32(bytes: readonly number[]): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

export function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: readonly number[]): number[] => {
    const body = [...ascii(type), ...data];
    return [...u32be(data.length), ...body, ...u32be(crc32(body))];
  };
  const raw = new Uint8Array(height * (1 + width * 3)).fill(0x80);
  for (let y = 0; y < height; y++) raw[y * (1 + width * 3)] = 0;
  return new Uint8Array([
    0x89,
    ...ascii("PNG\r\n\x1a\n"),
    ...chunk("IHDR", [...u32be(width), ...u32be(height), 8, 2, 0, 0, 0]),
    ...chunk("IDAT", [...deflateSync(raw)]),
    ...chunk("IEND", []),
  ]);
}

/** A PNG that is only its signature and header (33 bytes), claiming any size: image-size reads the claim. */
export function pngHeader(width: number, height: number): Uint8Array {
  const body = [...ascii("IHDR"), ...u32be(width), ...u32be(height), 8, 2, 0, 0, 0];
  return new Uint8Array([0x89, ...ascii("PNG\r\n\x1a\n"), ...u32be(13), ...body, ...u32be(crc32(body))]);
}

export function gif(width: number, height: number): Uint8Array {
  return new Uint8Array([...ascii("GIF89a"), ...u16le(width), ...u16le(height), 0, 0, 0, ...ascii(";")]);
}

const box = (type: string, ...content: number[][]): number[] => {
  const body = content.flat();
  return [...u32be(8 + body.length), ...ascii(type), ...body];
};

/** An ISO BMFF image (AVIF, HEIC) with its size in an `ispe` property, as image-size reads it. */
export function isoImage(majorBrand: string, compatible: readonly string[], width: number, height: number): Uint8Array {
  const ftyp = box("ftyp", ascii(majorBrand), u32be(0), ...compatible.map(ascii));
  const ispe = box("ispe", u32be(0), u32be(width), u32be(height));
  const meta = box("meta", u32be(0), box("iprp", box("ipco", ispe)));
  return new Uint8Array([...ftyp, ...meta]);
}

export function bmp(width: number, height: number): Uint8Array {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixels = new Array<number>(rowBytes * height).fill(0);
  const header = [...ascii("BM"), ...u32le(54 + pixels.length), 0, 0, 0, 0, ...u32le(54)];
  const dib = [...u32le(40), ...u32le(width), ...u32le(height), ...u16le(1), ...u16le(24), ...u32le(0), ...u32le(pixels.length)];
  return new Uint8Array([...header, ...dib, ...u32le(2835), ...u32le(2835), ...u32le(0), ...u32le(0), ...pixels]);
}

export function ico(width: number, height: number): Uint8Array {
  return new Uint8Array([0, 0, 1, 0, ...u16le(1), width, height, 0, 0, ...u16le(1), ...u16le(32), ...u32le(40), ...u32le(22)]);
}

/** A little-endian TIFF with ImageWidth and ImageLength tags. */
export function tiff(width: number, height: number): Uint8Array {
  const entry = (tag: number, value: number): number[] => [...u16le(tag), ...u16le(3), ...u32le(1), ...u16le(value), 0, 0];
  return new Uint8Array([...ascii("II"), 42, 0, ...u32le(8), ...u16le(2), ...entry(256, width), ...entry(257, height), ...u32le(0)]);
}

export const SVG_WITH_SCRIPT = new TextEncoder().encode(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>\n',
);
