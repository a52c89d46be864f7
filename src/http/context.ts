// What every route module receives: the settings, the catalog, the clock, the event log, the formats and the body cache.
import type { Catalog } from "../core/catalog.ts";
import type { EmitEvent } from "../core/events.ts";
import type { SiteSettings } from "../core/settings.ts";
import type { FeedFormat } from "../formats/format.ts";
import type { BodyCache } from "./body-cache.ts";

export interface AppContext {
  site: SiteSettings;
  catalog: Catalog;
  /** The clock, read per request so embargoed articles appear on time without a redeploy. */
  now: () => Date;
  /** Logs one event (one JSON line) to the app's log sink. */
  emit: EmitEvent;
  /** The feed formats served (FORMATS, or a test's instrumented copy). */
  formats: readonly FeedFormat[];
  /** Rendered bodies by content version. */
  cache: BodyCache;
}
