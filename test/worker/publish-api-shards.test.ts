// The publish API inside workerd, articles' parts written to the parts database PARTS_1 (src/store/d1/parts.ts).
import { describePublishApi } from "../support/publish-api-suite.ts";
import { d1Suite } from "./publish-api-store.ts";

describePublishApi("D1, parts written to PARTS_1", () => d1Suite(1));
