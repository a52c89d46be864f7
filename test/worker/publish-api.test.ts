// The publish API inside workerd over real local D1 and R2, every part kept in the catalog database (a
// single-database site); the same suite runs over the memory store on Node (test/node/publish-api.test.ts).
import { describePublishApi } from "../support/publish-api-suite.ts";
import { d1Suite } from "./publish-api-store.ts";
import { TOKEN, workerFetch } from "./sample.ts";

describePublishApi("D1, parts in the catalog database", () => d1Suite(0), { worker: { fetch: workerFetch, token: TOKEN } });
