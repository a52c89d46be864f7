// The input budget: how large and how deep each kind of content may be, so that one file costs bounded time and memory.
import type { ContentIssue } from "./errors.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The limits, chosen far above what a newsroom writes (docs/bad-input.md): they exist so that a hostile or broken
 * file is refused with a message instead of stalling the check or the worker.
 */
export const LIMITS = {
  /** Bytes of any article file; refused before it is decoded. The parts have their own, smaller limits. */
  articleFileBytes: 4 * MiB,
  /** Bytes of an article's front matter (a real one is under 2 KiB). */
  frontMatterBytes: 64 * KiB,
  /** Bytes (UTF-8) of an article's markdown body: about 80,000 words. */
  bodyBytes: 512 * KiB,
  /** Nesting depth of raw HTML elements in a body (hand-written HTML and embeds nest under 30). */
  bodyHtmlDepth: 100,
  /**
   * Elements open at once while a rendered body is sanitised, beyond which its raw HTML is shown as text instead: above
   * bodyHtmlDepth plus what markdown itself nests (markdown-it stops at 100 levels), so only a body that slipped past
   * the check's count reaches it.
   */
  renderHtmlDepth: 512,
  /**
   * Bytes (UTF-8) of the HTML a body renders to, measured by the check before anything is stored: twice the largest
   * prose body (512 KiB of paragraphs renders to about 520 KiB), so that only markup that repeats (a footnote
   * referenced thousands of times, a reference-style link, huge tables) reaches it. Each format's item holds
   * the HTML once, escaped for JSON in the JSON Feed item, and every part of a stored article stays well under D1's
   * 2 MB row limit; every feed it is in stays a few MB at most.
   */
  renderedHtmlBytes: 1 * MiB,
  /** Bytes of authors.yaml or partners.yaml. */
  yamlFileBytes: 1 * MiB,
  /** Nesting of YAML collections: front matter needs 3 levels, partners.yaml 4. */
  yamlDepth: 8,
  /** Bytes of one image file (a full-quality 24-megapixel JPEG is 5–10 MB; feeds need far less). */
  imageBytes: 10 * MiB,
  /**
   * Pixels on either side of an image, measured or declared: the dimensions are announced to every reader (Media RSS,
   * Open Graph, JSON-LD), and a header may claim any size (a 33-byte PNG claims 2,147,483,647 a side). 16,384 is WebP's
   * own limit and twice a 50-megapixel camera's long side (8,688).
   */
  imageSide: 16_384,
  /** Pixels in all (width × height): 100 megapixels, twice a 50-megapixel photo, so nothing a reader decodes is a bomb. */
  imagePixels: 100_000_000,
} as const;

/**
 * Why an image's dimensions are refused, or undefined when they are within LIMITS.imageSide and LIMITS.imagePixels: one
 * message for measured files and for the `width`/`height` given to a remote one.
 */
export function oversizedDimensions(width: number, height: number): string | undefined {
  if (width <= LIMITS.imageSide && height <= LIMITS.imageSide && width * height <= LIMITS.imagePixels) return undefined;
  const size = `${width.toLocaleString("en")} × ${height.toLocaleString("en")} pixels`;
  return `${size}, over the limit of ${LIMITS.imageSide.toLocaleString("en")} pixels a side and ${LIMITS.imagePixels / 1_000_000} megapixels in all`;
}

/** A byte count as people read it: `812 bytes`, `64 KiB`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < KiB) return `${bytes} bytes`;
  if (bytes < MiB) return `${trim(bytes / KiB)} KiB`;
  return `${trim(bytes / MiB)} MiB`;
}

/** A size in a message about a limit: exact, so that one byte over is visible (`512 KiB (524,289 bytes)`). */
export function describeSize(bytes: number): string {
  return bytes < KiB ? `${bytes} bytes` : `${formatBytes(bytes)} (${bytes.toLocaleString("en")} bytes)`;
}

function trim(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** UTF-8 length of a string without encoding it. */
export function countUtf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The issue of a text file of `size` bytes over `limit`: decided from its size alone, before reading it. */
export function oversizedContentFile(file: string, size: number, limit: number): ContentIssue | undefined {
  if (size <= limit) return undefined;
  return {
    file,
    found: `a file of ${describeSize(size)}`,
    expected: `at most ${formatBytes(limit)} (split it, or move large media to images/)`,
  };
}

/**
 * A content file's bytes as text: refused (with the issue to report) when larger than `limit` bytes or not UTF-8.
 * The size is checked first, so an oversized file is never decoded.
 */
export function decodeContentFile(file: string, bytes: Uint8Array, limit: number): { text: string } | { issue: ContentIssue } {
  const tooLarge = oversizedContentFile(file, bytes.byteLength, limit);
  if (tooLarge) return { issue: tooLarge };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return {
      issue: { file, found: "bytes that are not valid UTF-8", expected: "the file saved as UTF-8 (re-save it with UTF-8 encoding)" },
    };
  }
}
