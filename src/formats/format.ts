// What a feed format is to the rest of the system: an id, a file name, a media type and a renderer.
import type { Feed } from "../core/model.ts";

/** Presentation options that do not change what a feed says. */
export interface RenderOptions {
  /** URL of a CSS stylesheet for browsers; XML formats add an `<?xml-stylesheet?>` PI, JSON ignores it. */
  stylesheet?: string;
}

export interface FeedFormat {
  /** Key in `Feed.urls`: `rss`, `atom` or `json`. */
  readonly id: string;
  /** Last path segment the format is served at, e.g. `rss.xml`. */
  readonly file: string;
  /** Full Content-Type, charset included. */
  readonly contentType: string;
  readonly label: string;
  render(feed: Feed, options?: RenderOptions): string;
}
