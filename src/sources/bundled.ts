// The content bundled into the worker at build time (`npm run bundle` writes src/generated/content.ts).
import { binary, text } from "../generated/content.ts";
import { createMemorySource } from "./memory.ts";

function fromBase64(data: string): Uint8Array {
  const raw = atob(data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export const bundledSource = createMemorySource(
  { ...text, ...Object.fromEntries(Object.entries(binary).map(([path, data]) => [path, fromBase64(data)])) },
  "bundled",
);
