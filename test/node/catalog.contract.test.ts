// The Catalog contract, run against every implementation that runs on Node (D1's runs inside workerd).
import { describeCatalogContract } from "../support/catalog-contract.ts";
import { NODE_CATALOGS } from "../support/catalogs.ts";

for (const [name, make] of NODE_CATALOGS) describeCatalogContract(name, make);
