// Image facts read from the file's bytes, never from its name: MIME type, width, height, size.
import { imageSize } from "image-size";
import { describeSize, formatBytes, LIMITS, oversizedDimensions } from "./limits.ts";

export interface ImageFacts {
  type: string;
  width: number;
  height: number;
  length: number;
}

/** The formats feeds may carry and this site serves, by image-size's short name: raster formats that run no script. */
const ACCEPTED: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
};

export const ACCEPTED_FORMATS = "JPEG, PNG, GIF, WebP or AVIF";

/** Their MIME types: the only `type` an article may give a remote image, as local ones are measured to be one of them. */
export const ACCEPTED_TYPES: ReadonlySet<string> = new Set(Object.values(ACCEPTED));

/** How refused formats are named in messages; others are named by image-size's short name. */
const REFUSED: Readonly<Record<string, string>> = {
  svg: "an SVG image (SVG can run script, so it is never served)",
  bmp: "a BMP image",
  tiff: "a TIFF image",
  ico: "an icon file (ICO)",
  cur: "a cursor file (CUR)",
  jxl: "a JPEG XL image",
  "jxl-stream": "a JPEG XL image",
  ...Object.fromEntries(["heif", "heic", "heix", "hevc", "hevx", "mif1", "msf1"].map((brand) => [brand, "a HEIF/HEIC image"])),
  psd: "a Photoshop file (PSD)",
};

const ISO_BRANDS = new Set(["avif", "avis", "heif", "mif1", "msf1", "miaf"]);

export type ImageInspection = { ok: true; facts: ImageFacts } | { ok: false; reason: string };

/** The refusal of an image of `size` bytes over the limit: decided from its size alone, before reading it. */
export function oversizedImage(size: number): ImageInspection | undefined {
  if (size <= LIMITS.imageBytes) return undefined;
  return { ok: false, reason: `a file of ${describeSize(size)}, over the ${formatBytes(LIMITS.imageBytes)} limit for images` };
}

/**
 * What an image file is, from its bytes alone: one of the five accepted formats, recognised by its signature (the
 * magic bytes at its start) and measured by image-size, or the reason it is refused (too large, another format,
 * damaged). A file named `.jpg` that holds SVG is refused however it is named.
 */
export function inspectImage(bytes: Uint8Array): ImageInspection {
  const tooLarge = oversizedImage(bytes.byteLength);
  if (tooLarge) return tooLarge;
  const format = readSignature(bytes);
  let measured: ReturnType<typeof imageSize> | undefined;
  try {
    measured = imageSize(bytes);
  } catch {
    measured = undefined;
  }
  if (!format) {
    const type = measured?.type;
    return { ok: false, reason: type ? (REFUSED[type] ?? `a ${type.toUpperCase()} file`) : "bytes of no known image format" };
  }
  // For ISO BMFF files image-size names the type by the file's major brand (avif, mif1, …).
  const agrees = measured?.type === format || (format === "avif" && ISO_BRANDS.has(measured?.type ?? ""));
  if (!measured || !agrees || !measured.width || !measured.height) {
    return { ok: false, reason: `a damaged ${format.toUpperCase()} file (its width and height cannot be read)` };
  }
  // A header can claim any size; the claim would be announced to every reader, and decoding it could exhaust one.
  const tooMany = oversizedDimensions(measured.width, measured.height);
  if (tooMany) return { ok: false, reason: `a ${format.toUpperCase()} file of ${tooMany}` };
  return { ok: true, facts: { type: ACCEPTED[format]!, width: measured.width, height: measured.height, length: bytes.byteLength } };
}

/** Measures an image; null when the bytes are not an accepted image (see inspectImage for why). */
export function measureImage(bytes: Uint8Array): ImageFacts | null {
  const inspected = inspectImage(bytes);
  return inspected.ok ? inspected.facts : null;
}

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** The accepted format whose signature the bytes start with (JPEG SOI, PNG, GIF87a/89a, RIFF…WEBP, ISO BMFF `ftyp` avif). */
function readSignature(bytes: Uint8Array): keyof typeof ACCEPTED | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpg";
  if (ascii(bytes, 0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (/^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 4, 8) === "ftyp" && readFtypBrands(bytes).some((b) => b === "avif" || b === "avis")) return "avif";
  return undefined;
}

/** The major and compatible brands of an ISO BMFF file's `ftyp` box (ISO/IEC 14496-12 §4.3). */
function readFtypBrands(bytes: Uint8Array): string[] {
  const size = Math.min(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0, bytes.byteLength, 256);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands;
}

/** The MIME type a remote image's URL suggests (accepted formats only), used only when the front matter gives none. */
export function mimeFromExtension(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  return ACCEPTED[ext === "jpeg" ? "jpg" : ext];
}

/** The path of a local image under the content root, or undefined for anything that is not `/images/…`. */
export function localImageFile(src: string): string | undefined {
  const m = /^\/(images\/[^?#]+)$/.exec(src.trim());
  if (!m) return undefined;
  try {
    const path = decodeURIComponent(m[1]!);
    return path.split("/").some((seg) => seg === ".." || seg === ".") ? undefined : path;
  } catch {
    return undefined;
  }
}
