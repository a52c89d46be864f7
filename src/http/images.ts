// Image route: serves a local image only once an article that uses it is published, and only as an inert raster image.
import type { Hono } from "hono";
import { cacheTagHeader, imageTag } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";

/**
 * The only types this origin serves as images: raster formats no browser executes. SVG (script, foreign objects),
 * and anything else a sniffer might call an image, are refused here whatever the catalog says, so a file that slipped
 * past the content check still never runs on the feed's origin.
 */
export const SERVABLE_IMAGE_TYPES: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]);

/**
 * Headers of every image answer. `sandbox` and `default-src 'none'` make a document opened from this URL inert (no
 * script, no plugins, an opaque origin with no cookies) should a browser ever render one; `nosniff` keeps the browser
 * from reading the bytes as anything but the declared type.
 */
export const IMAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "X-Content-Type-Options": "nosniff",
};

/** Whether a catalogued type may be served: one of SERVABLE_IMAGE_TYPES, exactly (no parameters, any case). */
export function isServableImageType(type: string): boolean {
  return SERVABLE_IMAGE_TYPES.has(type.trim().toLowerCase());
}

export function registerImageRoutes(app: Hono, ctx: AppContext): void {
  app.get("/images/*", async (c) => {
    const file = safeDecode(new URL(c.req.url).pathname.slice(1));
    const image = file === undefined ? undefined : await ctx.catalog.image(file);
    // A draft's or an embargoed article's photo stays private until the article is out.
    if (file === undefined || !image || image.release > ctx.now()) throw new NotFoundError(c.req.path);
    // Defence in depth: the content check refuses these types too, but this route does not rely on it.
    if (!isServableImageType(image.facts.type)) throw new NotFoundError(c.req.path);
    const bytes = await ctx.catalog.imageBytes(file);
    if (!bytes) throw new NotFoundError(c.req.path);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      ...IMAGE_SECURITY_HEADERS,
      "Content-Type": image.facts.type.trim().toLowerCase(),
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "public, max-age=86400",
      "Cache-Tag": cacheTagHeader([imageTag(file)]),
    });
  });
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
