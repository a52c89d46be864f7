// The in-memory store's tables: the same table groups as D1's (src/store/d1/), held in maps and arrays, with the
// list rules of src/core/publish/lists.ts applied as D1's statements apply them.

import { compareListed, enterPosition, listedAt } from "../../core/publish/lists.ts";
import type { Membership, PartName } from "../../core/publish/publication.ts";
import type { StoredImageFacts } from "../../core/publish/store.ts";
import type { RegistryName } from "../../core/publishing.ts";

/** A stored article: its row and its parts (the version they were written under). */
export interface ArticleRow {
  file: string;
  slug: string;
  id: string;
  published: number;
  updated: number;
  fingerprint: string;
  sourceHash: string;
  warnings: string;
  version: string;
  /** The settings it was stored under (src/core/publish/shaping.ts). */
  shaping: string;
  revision: number;
  /** Every part publishing writes; an article stored before a part existed (excerpts) lacks it. */
  parts: Readonly<Partial<Record<PartName, string>> & Record<"source" | "record" | "article", string>>;
  images: readonly string[];
}

export interface DraftRow {
  file: string;
  slug: string;
  sourceHash: string;
  record: string;
  warnings: string;
}

/** One position of a list. */
export interface ListRow {
  slug: string;
  published: number;
  listed: number;
  name: string;
  /** The article left the list after it was out: the position stays taken. */
  removed: boolean;
}

/** One list: its positions in order, and how many of them were removed. */
export interface ListTable {
  rows: ListRow[];
  removed: number;
}

export interface RegistryRow {
  sourceHash: string;
  text: string;
  parsed: string;
  warnings: string;
  shaping: string;
}

/** Everything the memory store holds. */
export class MemoryTables {
  readonly articles = new Map<string, ArticleRow>();
  /** File → slug of its publishable article. */
  readonly files = new Map<string, string>();
  /** Id → slug. */
  readonly ids = new Map<string, string>();
  readonly drafts = new Map<string, DraftRow>();
  readonly lists = new Map<string, ListTable>();
  readonly images = new Map<string, StoredImageFacts>();
  /** Image path → slugs of the articles using it. */
  readonly imageRefs = new Map<string, Set<string>>();
  readonly objects = new Map<string, { bytes: Uint8Array; type: string }>();
  /** Retired id → the slug it belonged to. */
  readonly retired = new Map<string, string>();
  /** Old URLs (their keys, src/core/redirects.ts) → the id of the article they lead to, and how the row came to be. */
  readonly redirects = new Map<string, { id: string; kind: "alias" | "page" }>();
  readonly registries = new Map<RegistryName, RegistryRow>();

  list(scope: string): ListTable {
    let table = this.lists.get(scope);
    if (!table) {
      table = { rows: [], removed: 0 };
      this.lists.set(scope, table);
    }
    return table;
  }

  /** The article a file holds. */
  articleOf(file: string): ArticleRow | undefined {
    const slug = this.files.get(file);
    return slug === undefined ? undefined : this.articles.get(slug);
  }

  /** The live list entries of an article. */
  entriesOf(slug: string): { scope: string; listed: number }[] {
    const entries: { scope: string; listed: number }[] = [];
    for (const [scope, table] of this.lists) {
      for (const row of table.rows) if (row.slug === slug && !row.removed) entries.push({ scope, listed: row.listed });
    }
    return entries;
  }

  /** An entry leaves its list: a tombstone if out at `now`, else removed, the later positions moving down. */
  leave(slug: string, scope: string, now: number): void {
    const table = this.lists.get(scope);
    const index = table?.rows.findIndex((r) => r.slug === slug && !r.removed) ?? -1;
    if (!table || index < 0) return;
    if (table.rows[index]!.listed <= now) {
      table.rows[index]!.removed = true;
      table.removed += 1;
    } else {
      table.rows.splice(index, 1);
      // A list with no position left is no list (D1 has no row for it).
      if (table.rows.length === 0) this.lists.delete(scope);
    }
  }

  /**
   * Articles enter their lists together (one write): each listed against the list as it was before any of them, each
   * placed after every row and every other entering entry that sorts before it, the later rows moving up.
   */
  enterTogether(entries: readonly { slug: string; published: number; membership: Membership; now: number }[]): void {
    const byScope = new Map<string, ListRow[]>();
    for (const { slug, published, membership, now } of entries) {
      const { rows } = this.list(membership.scope);
      let newestOut: ListRow | undefined;
      for (let i = rows.length - 1; i >= 0; i--) {
        if (rows[i]!.listed <= now) {
          newestOut = rows[i];
          break;
        }
      }
      const row: ListRow = { slug, published, listed: listedAt(published, slug, newestOut, now), name: membership.name, removed: false };
      byScope.set(membership.scope, [...(byScope.get(membership.scope) ?? []), row]);
    }
    for (const [scope, rows] of byScope) {
      const list = this.list(scope).rows;
      // In ascending order, each after the ones before it and before rows of its very key.
      for (const row of rows.sort(compareListed)) list.splice(enterPosition(list, row), 0, row);
    }
  }

  /** A kept entry takes the article's new publication time and name, and stays where it is. */
  keep(slug: string, published: number, membership: Membership): void {
    const row = this.lists.get(membership.scope)?.rows.find((r) => r.slug === slug && !r.removed);
    if (row) {
      row.published = published;
      row.name = membership.name;
    }
  }

  /** Whether every list's positions are in the order lists.ts gives them (for tests of this store). */
  ordered(): boolean {
    for (const table of this.lists.values()) {
      for (let i = 1; i < table.rows.length; i++) if (compareListed(table.rows[i - 1]!, table.rows[i]!) > 0) return false;
    }
    return true;
  }
}
