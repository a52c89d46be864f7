// The Catalog contract against D1 with the articles' parts spread over the catalog and two parts databases
// (src/store/d1/parts.ts): the i-th article's parts in shard i mod 3, so every list mixes all three.
import { env } from "cloudflare:test";
import { describeCatalogContract } from "../support/catalog-contract.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { testShards } from "./shards.ts";

describeCatalogContract("D1 with parts in three shards", async (files, site) => {
  await resetD1(env.DB, env.IMAGES);
  return fillD1(env.DB, env.IMAGES, files, site, (index) => testShards(index % 3));
});
