// The publish API inside workerd, every part kept in the catalog database (a single-database site).
import { describePublishApi } from "./publish-api-suite.ts";

describePublishApi(0);
