// The rendered body stored once per article version: the whole items (RSS, Atom, JSON Feed) and the stored article are
// kept without it, as templates with one mark where the body goes, and a reader puts it back. An article's body is
// most of its bytes; stored in each of three items and the article it made the parts 53 KB an article, and moving
// those bytes through D1 was about a tenth of an import's CPU (BENCHMARKS.md, "Issue 17: import rate and publish ÷ check").
import type { ItemWriter } from "../catalog.ts";
import type { Article } from "../model.ts";

/**
 * Where the body goes in a stored item: U+FFFF, a noncharacter that is in no item otherwise. Every text every format
 * writes goes through the one cleaner (core/text.ts, `cleanText`), which drops it with the other characters XML 1.0
 * forbids, and the writers' own markup is ASCII. So a stored item holds at most this one, and an item without it is
 * whole (one stored before this layout, or written whole). Not U+0000, which XML and JSON keep out as well: SQL text
 * cannot hold it, and a D1 export (`wrangler d1 export`, docs/backup-and-restore.md) would write a dump that does not
 * load (test/node/backup-restore.test.ts).
 */
export const BODY_MARK = "\uFFFF";

/**
 * What an item is first written with in place of the body, to find where the body goes. Characters from Unicode's
 * private use area, which every writer passes on as they are; if an article's own texts hold it (a hostile title), the
 * item is stored whole instead (`itemTemplate` finds it more than once).
 */
const STAND_IN = "\uE000edge-feeds:body\uE001";

/** An item writer that can leave the body out: the whole items (RSS, Atom and JSON Feed; not their excerpts). */
export interface BodyItemWriter extends ItemWriter {
  /** The body as this format writes it in an item (a CDATA section, a JSON string), exactly. */
  bodySlot(html: string): string;
}

export function writesBody(writer: ItemWriter): writer is BodyItemWriter {
  return typeof (writer as Partial<BodyItemWriter>).bodySlot === "function";
}

/**
 * The item to store for `article`: with `BODY_MARK` where the body goes when the writer writes one, else whole. The
 * template, with the body put back (`withBody`), is byte for byte `writer.renderItem(article)` (tested for every
 * writer over hostile bodies and texts in test/node/stored-body.test.ts).
 */
export function itemTemplate(writer: ItemWriter, article: Article): string {
  if (!writesBody(writer)) return writer.renderItem(article);
  const written = writer.renderItem({ ...article, html: STAND_IN });
  const slot = writer.bodySlot(STAND_IN);
  const at = written.indexOf(slot);
  if (at < 0 || written.indexOf(slot, at + 1) >= 0) return writer.renderItem(article);
  return written.slice(0, at) + BODY_MARK + written.slice(at + slot.length);
}

/** A stored item with its body put back; an item stored whole (no mark), or with no body stored, as it is. */
export function withBody(writer: ItemWriter, stored: string, html: string | undefined): string {
  if (html === undefined || !writesBody(writer)) return stored;
  const at = stored.indexOf(BODY_MARK);
  return at < 0 ? stored : stored.slice(0, at) + writer.bodySlot(html) + stored.slice(at + 1);
}

/** The article as stored beside its body: everything but `html`. */
export function articleWithoutBody(article: Article): Omit<Article, "html"> {
  const { html: _html, ...rest } = article;
  return rest;
}

/**
 * A stored article with its body: one stored with its `html` (before this layout) keeps it; one stored without takes
 * the body part. An article without either is a damaged store: its body reads as empty rather than as `undefined`.
 */
export function articleWithBody(stored: Omit<Article, "html"> & { html?: string }, html: string | undefined): Article {
  return stored.html !== undefined ? (stored as Article) : { ...stored, html: html ?? "" };
}
