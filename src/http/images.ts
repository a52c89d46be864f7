// Image route: serves a local image only once an article that uses it is published.
import type { Hono } from "hono";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";

export function registerImageRoutes(app: Hono, ctx: AppContext): void {
  app.get("/images/*", async (c) => {
    const file = safeDecode(new URL(c.req.url).pathname.slice(1));
    const image = file === undefined ? undefined : await ctx.catalog.image(file);
    // A draft's or an embargoed article's photo stays private until the article is out.
    if (file === undefined || !image || image.release > ctx.now()) throw new NotFoundError(c.req.path);
    const bytes = await ctx.catalog.imageBytes(file);
    if (!bytes) throw new NotFoundError(c.req.path);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": image.facts.type,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "public, max-age=86400",
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
