// What every route module receives: the settings, the source, the clock and the once-per-isolate catalog.
import type { ArticleEntry, Catalog } from "../core/catalog.ts";
import type { SiteSettings } from "../core/settings.ts";
import type { FeedFormat } from "../formats/format.ts";
import type { ContentSource } from "../sources/source.ts";
import type { BodyCache } from "./body-cache.ts";

export interface AppContext {
  site: SiteSettings;
  source: ContentSource;
  /** The clock, read per request so embargoed articles appear on time without a redeploy. */
  now: () => Date;
  /** The archive, parsed once per app (once per isolate at the edge). */
  catalog: () => Promise<Catalog<ArticleEntry>>;
  log: (message: string) => void;
  /** The feed formats served (FORMATS, or a test's instrumented copy). */
  formats: readonly FeedFormat[];
  /** Rendered bodies by content version. */
  cache: BodyCache;
}
