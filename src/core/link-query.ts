// The query a publisher adds to the links of the feeds' items (FEED_LINK_QUERY, a partner's `feed.utm`), so that
// analytics count what feeds bring: what such a query may hold, and how one is built from UTM values.

/** Where each format's id goes in a query, so one setting gives each format its own value (`utm_medium={format}`). */
export const FORMAT_PLACEHOLDER = "{format}";

/** The longest query, and the most parameters, a feed's links carry. */
export const LINK_QUERY_LIMITS = { chars: 512, params: 16 } as const;

/** A parameter name compared as written: unreserved characters only (RFC 3986 §2.3). */
const NAME = /^[A-Za-z0-9._~-]{1,64}$/;
/**
 * A value: characters a query may hold literally (RFC 3986 §3.4, `pchar` and `/` `?`) but `&` and `=`, which separate
 * parameters, percent-encodings, and the format placeholder. No `#`, space, quote, `<`, `>` or `\`: nothing that would
 * end the link early or need escaping beyond `&` in any format.
 */
const VALUE = /^(?:[A-Za-z0-9._~!$'()*+,;:@/?-]|%[0-9A-Fa-f]{2}|\{format\})*$/;

/** What a query must look like, in the words a refusal uses. */
export const LINK_QUERY_EXPECTED =
  "name=value pairs joined by &, e.g. utm_source=feed&utm_medium={format}: names of letters, digits and - . _ ~, each once; " +
  `values of URL characters (others percent-encoded, no & = # or spaces), ${FORMAT_PLACEHOLDER} for the format (rss, atom, json); ` +
  `at most ${LINK_QUERY_LIMITS.params} parameters and ${LINK_QUERY_LIMITS.chars} characters`;

/**
 * A query as a setting gives it (one leading `?` allowed): the query without it, or why it is not one. The empty
 * query is none (undefined).
 */
export function parseLinkQuery(text: string): { query: string | undefined } | { problem: string } {
  const query = text.trim().replace(/^\?/, "");
  if (query === "") return { query: undefined };
  if (query.length > LINK_QUERY_LIMITS.chars) return { problem: `it has ${query.length} characters` };
  const params = query.split("&");
  if (params.length > LINK_QUERY_LIMITS.params) return { problem: `it has ${params.length} parameters` };
  const names = new Set<string>();
  for (const param of params) {
    const eq = param.indexOf("=");
    const name = eq < 0 ? param : param.slice(0, eq);
    const value = eq < 0 ? undefined : param.slice(eq + 1);
    if (!NAME.test(name)) return { problem: `the parameter name ${JSON.stringify(name.slice(0, 80))} is not letters, digits and - . _ ~` };
    if (value === undefined) return { problem: `the parameter ${JSON.stringify(name)} has no = and value` };
    if (!VALUE.test(value))
      return { problem: `the value of ${name}, ${JSON.stringify(value.slice(0, 80))}, has characters a link cannot carry as they are` };
    if (names.has(name)) return { problem: `the parameter ${name} is given twice` };
    names.add(name);
  }
  return { query };
}

/**
 * The query of UTM values (`[["utm_source", "acme"], …]`), each value percent-encoded; a value of exactly `{format}`
 * stays the placeholder.
 */
export function utmQuery(utm: readonly (readonly [string, string])[]): string | undefined {
  if (utm.length === 0) return undefined;
  return utm.map(([name, value]) => `${name}=${value === FORMAT_PLACEHOLDER ? value : encodeURIComponent(value)}`).join("&");
}

/** A query for one format: its `{format}` placeholders replaced by the format's id. */
export function linkQueryFor(query: string, format: string): string {
  return query.replaceAll(FORMAT_PLACEHOLDER, format);
}

/**
 * `url` with `query` added, where the link is on this site (under `siteUrl`, which ends in `/`): an article whose
 * canonical URL is elsewhere (syndicated from its first publisher) keeps its link as it is, since the query would count
 * this site's readers in another site's analytics. The query goes before the fragment and after the link's own query
 * (joined with `&`); a parameter whose name the link's own query already has is left out, so an article's own link
 * wins. The link's own text is kept as it is, encoding and all (a link is not re-serialised).
 */
export function addLinkQuery(url: string, query: string, siteUrl: string): string {
  if (!url.startsWith(siteUrl)) return url;
  const hash = url.indexOf("#");
  const end = hash < 0 ? url.length : hash;
  const mark = url.indexOf("?");
  const own = mark >= 0 && mark < end ? url.slice(mark + 1, end) : undefined;
  let params = query.split("&");
  if (own) {
    const taken = new Set(own.split("&").map((p) => (p.includes("=") ? p.slice(0, p.indexOf("=")) : p)));
    params = params.filter((p) => !taken.has(p.slice(0, p.indexOf("="))));
    if (params.length === 0) return url;
  }
  const joint = own === undefined ? "?" : own === "" ? "" : "&";
  return url.slice(0, end) + joint + params.join("&") + url.slice(end);
}
