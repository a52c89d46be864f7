// The Cache API for plain `workerd serve`: a service that workerd sends caches.default traffic to (cacheApiOutbound).
// workerd sends GET <key> for match (504 + cf-cache-status: MISS when absent), PUT <key> with the response serialised
// as HTTP/1.1 for put, and PURGE <key> for delete; this keeps entries in memory, ignoring expiry (runs are short).
// With MODE = "miss" it stores nothing and every match misses: the cache bypassed, so every request renders.
const entries = new Map();
const CRLF2 = [13, 10, 13, 10];

function indexOfBlankLine(bytes) {
  outer: for (let i = 0; i + 3 < bytes.length; i++) {
    for (let j = 0; j < 4; j++) if (bytes[i + j] !== CRLF2[j]) continue outer;
    return i;
  }
  return -1;
}

function dechunk(bytes) {
  const out = [];
  let at = 0;
  const text = new TextDecoder("latin1");
  for (;;) {
    const eol = bytes.indexOf(13, at);
    const size = parseInt(text.decode(bytes.subarray(at, eol)), 16);
    if (!size) break;
    out.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  const body = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of out) {
    body.set(c, offset);
    offset += c.length;
  }
  return body;
}

export default {
  async fetch(request, env) {
    const key = request.url;
    if (env.MODE === "miss") {
      await request.body?.cancel();
      return request.method === "PUT"
        ? new Response(null, { status: 204 })
        : new Response(null, { status: 504, headers: { "cf-cache-status": "MISS" } });
    }
    if (request.method === "GET" || request.method === "HEAD") {
      const hit = entries.get(key);
      if (!hit) return new Response(null, { status: 504, headers: { "cf-cache-status": "MISS" } });
      const headers = new Headers(hit.headers);
      headers.set("cf-cache-status", "HIT");
      return new Response(hit.body, { status: hit.status, headers });
    }
    if (request.method === "PUT") {
      const raw = new Uint8Array(await request.arrayBuffer());
      const blank = indexOfBlankLine(raw);
      const [statusLine, ...lines] = new TextDecoder().decode(raw.subarray(0, blank)).split("\r\n");
      const headers = lines.map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]);
      let body = raw.subarray(blank + 4);
      if (headers.some(([k, v]) => k.toLowerCase() === "transfer-encoding" && /chunked/i.test(v))) body = dechunk(body);
      entries.set(key, {
        status: Number(statusLine.split(" ")[1]),
        headers: headers.filter(([k]) => !/^(transfer-encoding|content-length)$/i.test(k)),
        body: body.slice(),
      });
      return new Response(null, { status: 204 });
    }
    if (request.method === "PURGE") return new Response(null, { status: entries.delete(key) ? 200 : 404 });
    return new Response(null, { status: 405 });
  },
};
