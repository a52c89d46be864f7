// Image facts read from the file's bytes, never from its name: MIME type, width, height, size.
import { imageSize } from "image-size";

export interface ImageFacts {
  type: string;
  width: number;
  height: number;
  length: number;
}

// image-size names formats by short name; feeds need registered MIME types (IANA media types registry).
const MIME: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  heif: "image/heif",
  svg: "image/svg+xml",
  bmp: "image/bmp",
  tiff: "image/tiff",
  ico: "image/vnd.microsoft.icon",
  jxl: "image/jxl",
};

/** Measures an image; returns null when the bytes are not an image format feeds can carry. */
export function measureImage(bytes: Uint8Array): ImageFacts | null {
  try {
    const size = imageSize(bytes);
    const type = size.type === "heif" && isAvif(bytes) ? "avif" : size.type;
    const mime = type ? MIME[type] : undefined;
    if (!mime || !size.width || !size.height) return null;
    return { type: mime, width: size.width, height: size.height, length: bytes.byteLength };
  } catch {
    return null;
  }
}

function isAvif(bytes: Uint8Array): boolean {
  const brand = String.fromCharCode(...bytes.subarray(8, 12));
  return brand === "avif" || brand === "avis";
}

/** The MIME type a remote image's URL suggests, used only when the front matter does not give one. */
export function mimeFromExtension(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  return MIME[ext === "jpeg" ? "jpg" : ext === "tif" ? "tiff" : ext];
}
