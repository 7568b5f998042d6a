// A fake Tauri core for component tests: mockIPC with typed answers and a log of every call.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CacheStatus } from "../bindings/CacheStatus";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientTable } from "../bindings/ClientTable";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { FileId } from "../bindings/FileId";
import { makeTable } from "./fixtures";

export interface FakeCore {
  status?: CacheStatus;
  table?: ClientTable;
  details?: (id: FileId) => ClientDetails | ErrorPayload;
  exportPath?: string;
  keptAt?: string;
  /** After start_fresh_cache, cache_status/load_client_table answer with these. */
  freshTable?: ClientTable;
  exportError?: ErrorPayload;
}

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export function installCore(core: FakeCore): Call[] {
  const calls: Call[] = [];
  let fresh = false;
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "cache_status":
        return fresh ? { state: "ready", path: "/tmp/cache.sqlite3" } : (core.status ?? { state: "ready", path: "/tmp/cache.sqlite3" });
      case "load_client_table":
        return fresh && core.freshTable ? core.freshTable : (core.table ?? makeTable([]));
      case "client_details": {
        const answer = core.details?.(a.id as FileId);
        if (!answer) throw { kind: "not_found", message: "That client file is no longer in the cache." };
        if ("kind" in answer) throw answer;
        return answer;
      }
      case "export_csv":
        if (core.exportError) throw core.exportError;
        return { path: core.exportPath ?? "/home/u/Downloads/clients.csv", rows: (a.ids as unknown[]).length };
      case "start_fresh_cache":
        fresh = true;
        return { kept_at: core.keptAt ?? "/tmp/cache.sqlite3.unusable-1" };
      case "table_painted":
        return null;
    }
    throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
  });
  return calls;
}

export { clearMocks };

/** Waits until `check` stops throwing (a few macrotasks and animation frames). */
export async function until<T>(check: () => T, timeoutMs = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
