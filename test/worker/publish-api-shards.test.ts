// The publish API inside workerd, articles' parts written to the parts database PARTS_1 (src/sources/d1-shards.ts).
import { describePublishApi } from "./publish-api-suite.ts";

describePublishApi(1);
