// The app over a content source (files in memory or on disk), as the worker builds it over its bundled files.
import type { Catalog } from "../../src/core/catalog.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import type { SiteSettings } from "../../src/core/settings.ts";
import { type AppOptions, createApp } from "../../src/http/app.ts";
import type { ContentSource } from "../../src/sources/source.ts";

export interface SourceAppOptions extends Omit<AppOptions, "catalog"> {
  source: ContentSource;
  /** How the catalog is read from the source: every file (the default), or a prebuilt index. */
  loadCatalog?: (source: ContentSource, site: SiteSettings) => Catalog;
}

export function appOver({ source, loadCatalog, ...options }: SourceAppOptions) {
  const catalog = loadCatalog ? loadCatalog(source, options.site) : catalogFromSource(source, options.site, { log: options.log });
  return createApp({ ...options, catalog });
}
