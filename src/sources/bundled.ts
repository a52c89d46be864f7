// The content bundled into the worker at build time (`npm run bundle` writes src/generated/content.ts).
import * as content from "../generated/content.ts";
import { sourceFromModule } from "./bundle.ts";

export const bundledSource = sourceFromModule(content);
