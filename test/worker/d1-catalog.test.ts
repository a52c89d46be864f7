// The Catalog contract against D1 and R2 inside workerd: the same answers as the in-memory catalog, from SQL.
import { env } from "cloudflare:test";
import { describeCatalogContract } from "../support/catalog-contract.ts";
import { fillD1 } from "./fill-d1.ts";

describeCatalogContract("D1", (files, site) => fillD1(env.DB, env.IMAGES, files, site));
