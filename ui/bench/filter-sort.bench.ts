// Micro-benchmark of the table model over 10,000 generated client files.
// Run: npm run bench   (vitest bench; figures in ms per operation)
import { bench, describe } from "vitest";
import { generateFiles } from "../src/test/fixtures";
import { applyQuery, buildModel, sortedOrder, type Query, type SortKey } from "../src/lib/table-model";

const files = generateFiles(10_000);
const model = buildModel(files);
const base: Query = { search: "", status: [], software: [], sort: { key: "name", dir: "asc" } };
// Warm every sort order once, as a session does after the first click on each header.
for (const key of ["name", "software", "connection", "services", "xpm", "last_synced"] as SortKey[]) {
  sortedOrder(model, { key, dir: "asc" });
  sortedOrder(model, { key, dir: "desc" });
}

describe("load", () => {
  bench("buildModel (once per load)", () => {
    buildModel(files);
  });
});

describe("keystroke: search + filters + counts over 10,000 rows", () => {
  const needles = ["h", "ha", "har", "harb", "harbour", "harbour p"];
  let i = 0;
  bench("search (typing 'harbour p')", () => {
    applyQuery(model, { ...base, search: needles[i++ % needles.length] });
  });
  bench("search + status filter + software filter", () => {
    applyQuery(model, { ...base, search: "plumbing", status: ["needs_reconnect", "no_xpm_link"], software: ["xero"] });
  });
  bench("no search, no filter (all rows)", () => {
    applyQuery(model, base);
  });
});

describe("sort 10,000 rows", () => {
  bench("first sort of a column (connection, cold cache)", () => {
    model.orders.delete("connection:desc");
    applyQuery(model, { ...base, sort: { key: "connection", dir: "desc" } });
  });
  bench("first sort of software (string keys, cold cache)", () => {
    model.orders.delete("software:asc");
    applyQuery(model, { ...base, sort: { key: "software", dir: "asc" } });
  });
  bench("first name sort (accent-folded, part of buildModel)", () => {
    buildModel(files);
  });
  bench("re-sort a column already sorted once (cached order)", () => {
    applyQuery(model, { ...base, sort: { key: "last_synced", dir: "desc" } });
  });
});
