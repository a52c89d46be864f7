// Response compression for the Node server (gzip or Brotli, as the client asks); at the edge Cloudflare does this itself.
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export type Encoding = "br" | "gzip";

const COMPRESSIBLE = /^(?:text\/|application\/(?:[a-z0-9.+-]*\+)?(?:xml|json)\b)/i;

/**
 * The coding to use for an Accept-Encoding value (RFC 9110 §12.5.3): the highest q among br and gzip, Brotli on ties;
 * `*` stands for codings not named; q=0 refuses. Undefined for identity.
 */
export function chooseEncoding(acceptEncoding: string | null | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const weight = (coding: Encoding): number => q.get(coding) ?? q.get("*") ?? 0;
  const best = (["br", "gzip"] as const).reduce<Encoding | undefined>((a, b) => (weight(b) > (a ? weight(a) : 0) ? b : a), undefined);
  return best && weight(best) > 0 ? best : undefined;
}

/** `W/"x"` for `"x"`: a compressed body is another representation, so its ETag may only be weak (as nginx does). */
function weaken(etag: string | null): string | null {
  return etag && !etag.startsWith("W/") ? `W/${etag}` : etag;
}

function addVary(headers: Headers): void {
  const vary = headers.get("Vary");
  if (!vary) headers.set("Vary", "Accept-Encoding");
  else if (!/(^|,)\s*accept-encoding\s*(,|$)/i.test(vary)) headers.set("Vary", `${vary}, Accept-Encoding`);
}

/** Compresses `response` when the request accepts gzip or br and the body is text; HEAD and 304 get the same headers. */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
  const encoding = chooseEncoding(request.headers.get("Accept-Encoding"));
  const type = response.headers.get("Content-Type") ?? "";
  const headers = new Headers(response.headers);
  if (response.status === 304) {
    addVary(headers);
    if (encoding) {
      const etag = weaken(headers.get("ETag"));
      if (etag) headers.set("ETag", etag);
    }
    return new Response(null, { status: 304, headers });
  }
  if (!COMPRESSIBLE.test(type) || headers.has("Content-Encoding") || response.status === 204 || response.status === 206) return response;
  addVary(headers);
  if (!encoding) return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  headers.set("Content-Encoding", encoding);
  const etag = weaken(headers.get("ETag"));
  if (etag) headers.set("ETag", etag);
  headers.delete("Content-Length");
  if (request.method === "HEAD" || response.body === null) return new Response(null, { status: response.status, headers });
  const raw = Buffer.from(await response.arrayBuffer());
  const body =
    encoding === "br"
      ? await brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : await gzipAsync(raw);
  headers.set("Content-Length", String(body.length));
  return new Response(new Uint8Array(body), { status: response.status, statusText: response.statusText, headers });
}

/** A fetch handler whose responses are compressed as above: what the Node server serves. */
export function withCompression(handler: (request: Request) => Response | Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => compressResponse(request, await handler(request));
}
