// Request bodies read within a byte budget: the rest of an oversize body is never read.

/**
 * The request body's bytes, or undefined as soon as it passes `max` bytes (a `Content-Length` over `max` is refused
 * before anything is read; the stream is cancelled at the first byte over).
 */
export async function readBodyCapped(request: Request, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (declared > max) return undefined;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
