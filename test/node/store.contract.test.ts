// The publish store contract on the memory store (Node); D1's runs inside workerd (test/worker/d1-store.test.ts).
import { createMemoryStore } from "../../src/store/memory/store.ts";
import { describeStoreContract, memoryLists } from "../support/store-contract.ts";

describeStoreContract("memory", async () => {
  const store = createMemoryStore();
  return { store, catalog: store.catalog, lists: memoryLists(store) };
});
