import { describe, expect, it } from "vitest";
import type { ClientTablePayload } from "../bindings/ClientTablePayload";
import { generateFiles, makeSummary } from "../test/fixtures";
import { decodeClientTable, encodeClientTable } from "./client-table";

describe("the table payload", () => {
  it("turns a row as the core writes it into the file it stands for", () => {
    // Two rows exactly as `Cache::client_table_json` writes them.
    const payload = JSON.parse(
      '{"rows":[' +
        '[7,"Harbour Bakery","Harbour Bakery Ltd",{"kind":"xero"},{"state":"needs_reconnect","reason":"expired"},' +
        '{"state":"unavailable","reason":{"kind":"not_subscribed"}},{"state":"disconnected_by_staff"},' +
        '["t-1","c-1","!abc12"],["u-1","Harbour (XPM)","https://practicemanager.xero.com/Client/1/Detail",false,true],' +
        '[1700000000000,1700000500000,"Xero answered 503"]],' +
        '[8,"Émile, \\"Dental\\"",null,{"kind":"other","name":"Sage"},{"state":"not_connected"},{"state":"not_checked"},' +
        '{"state":"connected"},null,null,[null,null,null]]' +
        '],"summary":{"total":2,"last_synced_at":1700000000000,"last_attempt_at":1700000500000,"failed_count":1,"stale":true}}',
    ) as ClientTablePayload;
    const table = decodeClientTable(payload);
    expect(table.summary.failed_count).toBe(1);
    expect(table.files).toEqual([
      {
        id: 7,
        display_name: "Harbour Bakery",
        remote_name: "Harbour Bakery Ltd",
        software: { kind: "xero" },
        connection: { state: "needs_reconnect", reason: "expired" },
        payroll: { state: "unavailable", reason: { kind: "not_subscribed" } },
        fixed_assets: { state: "disconnected_by_staff" },
        xero: { tenant_id: "t-1", connection_id: "c-1", short_code: "!abc12" },
        xpm: { uuid: "u-1", name: "Harbour (XPM)", web_url: "https://practicemanager.xero.com/Client/1/Detail", archived: false, deleted: true },
        sync: { last_success_at: 1700000000000, last_attempt_at: 1700000500000, last_error: "Xero answered 503" },
      },
      {
        id: 8,
        display_name: 'Émile, "Dental"',
        remote_name: null,
        software: { kind: "other", name: "Sage" },
        connection: { state: "not_connected" },
        payroll: { state: "not_checked" },
        fixed_assets: { state: "connected" },
        xero: null,
        xpm: null,
        sync: { last_success_at: null, last_attempt_at: null, last_error: null },
      },
    ]);
  });

  it("gives back every generated file unchanged through encode and decode", () => {
    const files = generateFiles(500, 3);
    const table = { files, summary: makeSummary(files) };
    expect(decodeClientTable(JSON.parse(JSON.stringify(encodeClientTable(table))))).toEqual(table);
  });
});
