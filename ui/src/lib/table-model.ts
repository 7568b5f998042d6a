// The table's data model: search, filters with counts, and sorting over every client file.
//
// Pure TypeScript, no Svelte and no DOM, so it can be unit-tested and benchmarked on its own.
// Everything expensive happens once per load in `buildModel` (lower-cased names, filter bits,
// sort ranks), once per sort column (a cached permutation) or once per search text (the files
// that match it, remembered); a keystroke is then one linear pass over typed arrays that builds
// the on-screen order and the filter counts together.
import { hasHiddenCharacters, visibleName } from "./visible-name";
import type { ClientFile } from "../bindings/ClientFile";
import type { FileId } from "../bindings/FileId";
import { accountDashboardAvailable, softwareLabel, xpmDashboardAvailable } from "./format";

export const STATUS_FILTERS = [
  "not_connected",
  "needs_reconnect",
  "no_xpm_link",
  "payroll_unavailable",
  "sync_failed",
] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const SOFTWARE_FILTERS = ["xero", "quickbooks_online", "myob", "other", "none"] as const;
export type SoftwareFilter = (typeof SOFTWARE_FILTERS)[number];

export type FilterId = StatusFilter | SoftwareFilter;

export const FILTER_LABELS: Record<FilterId, string> = {
  not_connected: "Not connected",
  needs_reconnect: "Needs reconnect",
  no_xpm_link: "No XPM link",
  payroll_unavailable: "Payroll unavailable",
  sync_failed: "Last sync failed",
  xero: "Xero",
  quickbooks_online: "QuickBooks Online",
  myob: "MYOB",
  other: "Other",
  none: "None",
};

export const FILTER_TOOLTIPS: Record<FilterId, string> = {
  not_connected: "Files never connected, or disconnected (not counting those that need a reconnect)",
  needs_reconnect: "Files whose connection lapsed and must be reconnected",
  no_xpm_link: "Files not linked to an XPM client",
  payroll_unavailable: "Files whose payroll cannot be reached",
  sync_failed: "Files whose last sync attempt failed (they show their last good data)",
  xero: "Files synced by Xero",
  quickbooks_online: "Files synced by QuickBooks Online",
  myob: "Files synced by MYOB",
  other: "Files synced by other accounting software",
  none: "Files with no accounting software",
};

export const SORT_KEYS = [
  "name",
  "software",
  "connection",
  "services",
  "account_dashboard",
  "xpm_dashboard",
  "xpm",
  "last_synced",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

const STATUS_BIT: Record<StatusFilter, number> = {
  not_connected: 1,
  needs_reconnect: 2,
  no_xpm_link: 4,
  payroll_unavailable: 8,
  sync_failed: 16,
};
const SOFTWARE_INDEX: Record<SoftwareFilter, number> = {
  xero: 0,
  quickbooks_online: 1,
  myob: 2,
  other: 3,
  none: 4,
};

export interface Model {
  readonly files: readonly ClientFile[];
  /** What search looks in, lower-cased and separated by line breaks: the display name, the
   * remote name (if any), and each as the screen draws it when that differs (hidden characters
   * shown as marks, see visible-name.ts). A search has no line breaks, so it matches within one. */
  readonly searchText: readonly string[];
  /** Status filter bits per file (see STATUS_BIT). */
  readonly flags: Uint8Array;
  /** Software filter index per file (see SOFTWARE_INDEX). */
  readonly software: Uint8Array;
  /** Each file's position in name order (ties broken by id): the secondary key of every sort. */
  readonly nameRank: Int32Array;
  /** Cached permutations, one per sort key and direction, built on first use. */
  readonly orders: Map<string, Int32Array>;
  /** The files matching recent search texts (ascending indices), oldest first. */
  readonly searches: Map<string, Int32Array>;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Strips accents from lower-cased text, so "émile" sorts with "emile" (ASCII passes through). */
function foldLower(lower: string): string {
  return NON_ASCII.test(lower) ? lower.normalize("NFKD").replace(/[\u0300-\u036f]/g, "") : lower;
}

function foldForSort(text: string): string {
  return foldLower(text.toLowerCase());
}

/** See `Model.searchText`. The drawn forms are added only for the rare names with marks. */
function searchTextOf(name: string, lower: string, remote: string | null): string {
  let text = hasHiddenCharacters(name) ? `${lower}\n${visibleName(name).toLowerCase()}` : lower;
  if (remote !== null) {
    text += `\n${remote.toLowerCase()}`;
    if (hasHiddenCharacters(remote)) text += `\n${visibleName(remote).toLowerCase()}`;
  }
  return text;
}

export function buildModel(files: readonly ClientFile[]): Model {
  const n = files.length;
  const searchText = new Array<string>(n);
  const sortName = new Array<string>(n);
  const flags = new Uint8Array(n);
  const software = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = files[i];
    const lower = f.display_name.toLowerCase();
    searchText[i] = searchTextOf(f.display_name, lower, f.remote_name);
    sortName[i] = foldLower(lower);
    let bits = 0;
    const c = f.connection.state;
    if (c === "not_connected" || c === "disconnected") bits |= STATUS_BIT.not_connected;
    if (c === "needs_reconnect") bits |= STATUS_BIT.needs_reconnect;
    if (f.xpm === null) bits |= STATUS_BIT.no_xpm_link;
    if (f.payroll.state === "unavailable") bits |= STATUS_BIT.payroll_unavailable;
    if (f.sync.last_error !== null) bits |= STATUS_BIT.sync_failed;
    flags[i] = bits;
    software[i] = SOFTWARE_INDEX[f.software.kind];
  }
  const byName = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = sortName[a];
    const y = sortName[b];
    if (x < y) return -1;
    if (x > y) return 1;
    return files[a].id - files[b].id;
  });
  const nameRank = new Int32Array(n);
  for (let r = 0; r < n; r++) nameRank[byName[r]] = r;
  const orders = new Map<string, Int32Array>();
  orders.set("name:asc", byName);
  return { files, searchText, flags, software, nameRank, orders, searches: new Map() };
}

// ---- sort keys -------------------------------------------------------------------------

const CONNECTION_RANK = { connected: 0, needs_reconnect: 1, disconnected: 2, not_connected: 3 } as const;
const SERVICE_RANK = { connected: 0, unavailable: 1, disconnected_by_staff: 2, not_checked: 3 } as const;
const XPM_RANK = { linked: 0, archived: 1, deleted: 2, none: 3 } as const;

/**
 * The primary sort rank of each file for a key: small non-negative integers, ascending order.
 * (Timestamps and software names are turned into ranks first.)
 */
function primaryRanks(model: Model, key: Exclude<SortKey, "name">): Float64Array {
  const { files } = model;
  const n = files.length;
  const out = new Float64Array(n);
  switch (key) {
    case "software": {
      // Known software first in a fixed order, then other software by name, then none.
      const others = new Set<string>();
      for (const f of files) if (f.software.kind === "other") others.add(foldForSort(softwareLabel(f.software)));
      const otherRank = new Map([...others].sort().map((name, i) => [name, i] as const));
      const none = 3 + otherRank.size;
      for (let i = 0; i < n; i++) {
        const s = files[i].software;
        out[i] =
          s.kind === "other" ? 3 + otherRank.get(foldForSort(softwareLabel(s)))! : s.kind === "none" ? none : SOFTWARE_INDEX[s.kind];
      }
      return out;
    }
    case "last_synced": {
      // Never synced sorts as the oldest.
      const times = new Float64Array(n);
      for (let i = 0; i < n; i++) times[i] = files[i].sync.last_success_at ?? -Infinity;
      const sorted = times.slice().sort();
      const rank = new Map<number, number>();
      let r = 0;
      for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) rank.set(sorted[i], r++);
      for (let i = 0; i < n; i++) out[i] = rank.get(times[i])!;
      return out;
    }
    default:
      for (let i = 0; i < n; i++) {
        const f = files[i];
        switch (key) {
          case "connection":
            out[i] = CONNECTION_RANK[f.connection.state];
            break;
          case "services":
            out[i] = SERVICE_RANK[f.payroll.state] * 4 + SERVICE_RANK[f.fixed_assets.state];
            break;
          case "account_dashboard":
            out[i] = accountDashboardAvailable(f) ? 0 : 1;
            break;
          case "xpm_dashboard":
            out[i] = xpmDashboardAvailable(f) ? 0 : 1;
            break;
          case "xpm":
            out[i] =
              f.xpm === null ? XPM_RANK.none : f.xpm.deleted ? XPM_RANK.deleted : f.xpm.archived ? XPM_RANK.archived : XPM_RANK.linked;
            break;
        }
      }
      return out;
  }
}

/**
 * The files in the order of `sort`, as indices into `model.files`. The primary key follows the
 * direction; ties are always broken by name A→Z, so a sort is stable and predictable.
 * Cached per key and direction: re-sorting the same way costs nothing.
 *
 * Non-name sorts pack (primary rank, name rank) into one number per file and sort those numbers
 * natively (no comparator callback), which keeps a cold sort of 10,000 rows to about a millisecond.
 */
export function sortedOrder(model: Model, sort: Sort): Int32Array {
  const cacheKey = `${sort.key}:${sort.dir}`;
  const cached = model.orders.get(cacheKey);
  if (cached) return cached;
  const n = model.files.length;
  let order: Int32Array;
  if (sort.key === "name") {
    order = sortedOrder(model, { key: "name", dir: "asc" }).slice().reverse();
  } else {
    const byName = sortedOrder(model, { key: "name", dir: "asc" });
    const ranks = primaryRanks(model, sort.key);
    let max = 0;
    for (let i = 0; i < n; i++) if (ranks[i] > max) max = ranks[i];
    const { nameRank } = model;
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const primary = sort.dir === "asc" ? ranks[i] : max - ranks[i];
      packed[i] = primary * n + nameRank[i];
    }
    packed.sort();
    order = new Int32Array(n);
    for (let r = 0; r < n; r++) order[r] = byName[packed[r] % n];
  }
  model.orders.set(cacheKey, order);
  return order;
}

/**
 * Builds every sort order in the background, one per idle slice, so the first click on a
 * header finds its order cached. Returns a function that stops the warm-up.
 */
export function warmSortOrders(model: Model): () => void {
  const pending: Sort[] = [];
  for (const key of SORT_KEYS) for (const dir of ["asc", "desc"] as const) pending.push({ key, dir });
  let stopped = false;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const step = () => {
    if (stopped) return;
    const next = pending.shift();
    if (!next) return;
    sortedOrder(model, next);
    handle = setTimeout(step, 0);
  };
  handle = setTimeout(step, 50);
  return () => {
    stopped = true;
    clearTimeout(handle);
  };
}

// ---- query -----------------------------------------------------------------------------

export interface Query {
  search: string;
  status: readonly StatusFilter[];
  software: readonly SoftwareFilter[];
  sort: Sort;
}

export interface View {
  /** Indices into `model.files`, in on-screen order. */
  readonly rows: Int32Array;
  /** How many files match the search (before the filters): the basis of the counts. */
  readonly searchMatches: number;
  /** Per filter: how many of the search-matching files it matches. */
  readonly counts: Readonly<Record<FilterId, number>>;
}

export function emptyCounts(): Record<FilterId, number> {
  return {
    not_connected: 0,
    needs_reconnect: 0,
    no_xpm_link: 0,
    payroll_unavailable: 0,
    sync_failed: 0,
    xero: 0,
    quickbooks_online: 0,
    myob: 0,
    other: 0,
    none: 0,
  };
}

/** How many search texts' matches a model remembers. */
const REMEMBERED_SEARCHES = 32;

/**
 * The files whose display or remote name contains `needle` (lower-cased, not empty), as
 * ascending indices. Typing on narrows the smallest remembered match of a part of the new text
 * (a file that contains "dent" contains "den"); deleting back finds the earlier text remembered.
 */
function matchingFiles(model: Model, needle: string): Int32Array {
  const { searches, searchText } = model;
  const remembered = searches.get(needle);
  if (remembered) return remembered;
  let candidates: Int32Array | null = null;
  for (const [earlier, files] of searches) {
    if (needle.includes(earlier) && (candidates === null || files.length < candidates.length)) candidates = files;
  }
  const matches: number[] = [];
  if (candidates === null) {
    for (let i = 0; i < searchText.length; i++) if (searchText[i].includes(needle)) matches.push(i);
  } else {
    for (const i of candidates) if (searchText[i].includes(needle)) matches.push(i);
  }
  const result = Int32Array.from(matches);
  if (searches.size >= REMEMBERED_SEARCHES) searches.delete(searches.keys().next().value!);
  searches.set(needle, result);
  return result;
}

/**
 * Applies search, filters and sort.
 *
 * - Search: case-insensitive substring of the display name or the remote name.
 * - Filters: any of the chosen statuses (OR within the group) AND any of the chosen software
 *   (OR within the group). An empty group does not narrow.
 * - Counts: over the files that match the search, ignoring the filter selection, so a count
 *   says how many rows that filter alone would leave.
 */
export function applyQuery(model: Model, query: Query): View {
  const order = sortedOrder(model, query.sort);
  const n = order.length;
  // A search box holds no line breaks (the browser strips them); removing them here keeps a
  // search from matching across the line break in `searchText`.
  const needle = query.search.replace(/[\r\n]/g, "").trim().toLowerCase();
  const { flags, software } = model;
  let found: Uint8Array | null = null;
  if (needle !== "") {
    found = new Uint8Array(n);
    for (const i of matchingFiles(model, needle)) found[i] = 1;
  }

  let statusMask = 0;
  for (const s of query.status) statusMask |= STATUS_BIT[s];
  let softwareMask = 0;
  for (const s of query.software) softwareMask |= 1 << SOFTWARE_INDEX[s];

  const out = new Int32Array(n);
  let count = 0;
  let matches = 0;
  // Counters by bit / index, folded into the named record at the end.
  let cNot = 0, cRe = 0, cXpm = 0, cPay = 0, cFail = 0;
  const cSoft = [0, 0, 0, 0, 0];

  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (found !== null && found[i] === 0) continue;
    matches++;
    const bits = flags[i];
    const sw = software[i];
    if (bits & 1) cNot++;
    if (bits & 2) cRe++;
    if (bits & 4) cXpm++;
    if (bits & 8) cPay++;
    if (bits & 16) cFail++;
    cSoft[sw]++;
    if (statusMask !== 0 && (bits & statusMask) === 0) continue;
    if (softwareMask !== 0 && (softwareMask & (1 << sw)) === 0) continue;
    out[count++] = i;
  }
  return {
    rows: out.subarray(0, count),
    searchMatches: matches,
    counts: {
      not_connected: cNot,
      needs_reconnect: cRe,
      no_xpm_link: cXpm,
      payroll_unavailable: cPay,
      sync_failed: cFail,
      xero: cSoft[0],
      quickbooks_online: cSoft[1],
      myob: cSoft[2],
      other: cSoft[3],
      none: cSoft[4],
    },
  };
}

/** The ids of the rows of a view, in on-screen order (what CSV export sends). */
export function viewIds(model: Model, view: View): FileId[] {
  const ids = new Array<FileId>(view.rows.length);
  for (let r = 0; r < view.rows.length; r++) ids[r] = model.files[view.rows[r]].id;
  return ids;
}
