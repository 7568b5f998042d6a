// XPM in the UI: the link pop-up's state, the cached XPM client list and its search,
// and the row actions' behaviour (pick / change / remove a link; open the XPM page).
//
// The client list is loaded once (and again after a link or a refresh) and searched here, so a
// keystroke in the pop-up filters 15,000 names in memory and paints without a call to the core.
import type { ClientFile } from "../bindings/ClientFile";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { XpmClientRecord } from "../bindings/XpmClientRecord";
import type { XpmSuggestion } from "../bindings/XpmSuggestion";
import { linkXpm, toErrorPayload, xpmClients, xpmSuggestions } from "./ipc";
import { showToast } from "./operation.svelte";

/** At most this many search results are painted; the rest are counted. */
export const MAX_RESULTS = 20;

/** One row of the pop-up: an XPM client, with why it is suggested when it is. */
export interface PickerItem {
  client: XpmClientRecord;
  suggestion: XpmSuggestion | null;
}

interface Index {
  clients: XpmClientRecord[];
  /** Lower-case name, client code and email of each client, for substring search. */
  haystacks: string[];
  /** Where each uuid is in `clients`. */
  position: Map<string, number>;
}

export const picker = $state<{
  file: ClientFile | null;
  suggestions: XpmSuggestion[];
  loading: boolean;
  error: string | null;
  busy: boolean;
  /** How many XPM clients are cached (for the search box's placeholder). */
  clientCount: number;
}>({ file: null, suggestions: [], loading: false, error: null, busy: false, clientCount: 0 });

// 15,000 records: never deeply reactive.
let index: Index = buildIndex([]);
let loaded: Promise<void> | null = null;
let reloadTable: () => Promise<void> = async () => {};

/** App gives the function that reloads the table after a link changes. */
export function configureXpm(options: { reload: () => Promise<void> }): void {
  reloadTable = options.reload;
}

export function buildIndex(clients: XpmClientRecord[]): Index {
  return {
    clients,
    haystacks: clients.map((c) => `${c.name}\u0000${c.client_code ?? ""}\u0000${c.email ?? ""}`.toLowerCase()),
    position: new Map(clients.map((c, i) => [c.uuid, i])),
  };
}

/** Loads the cached XPM clients (once; `force` after they changed). */
export function loadXpmClients(force = false): Promise<void> {
  if (!loaded || force) {
    loaded = xpmClients().then(
      (clients) => {
        index = buildIndex(clients);
        picker.clientCount = clients.length;
      },
      (error) => {
        loaded = null;
        throw error;
      },
    );
  }
  return loaded;
}

/**
 * What the pop-up lists for `query`: with no query, the suggestions (best first); with one,
 * suggested matches first, then every other client whose name, code or email contains it.
 * Deleted clients are listed (so a person sees why) but cannot be chosen.
 */
export function searchXpm(
  query: string,
  suggestions: XpmSuggestion[],
  from: Index = index,
): { items: PickerItem[]; total: number } {
  const byUuid = new Map(suggestions.map((s) => [s.xpm_uuid, s]));
  const q = query.trim().toLowerCase();
  const items: PickerItem[] = [];
  const suggested = new Set<string>();
  for (const s of suggestions) {
    const i = from.position.get(s.xpm_uuid);
    if (i === undefined || (q !== "" && !from.haystacks[i].includes(q))) continue;
    items.push({ client: from.clients[i], suggestion: s });
    suggested.add(s.xpm_uuid);
  }
  if (q === "") return { items, total: items.length };
  let total = items.length;
  const { clients } = from;
  for (const i of matching(q, from)) {
    if (suggested.has(clients[i].uuid)) continue;
    total++;
    if (items.length < MAX_RESULTS) items.push({ client: clients[i], suggestion: byUuid.get(clients[i].uuid) ?? null });
  }
  return { items, total };
}

// Typing narrows: a query that extends an earlier one only needs that one's matches; deleting a
// character finds the shorter query's matches remembered. (Kept per client list, a few dozen.)
const REMEMBERED = 64;
let memo: { from: Index; matches: Map<string, number[]> } = { from: index, matches: new Map() };

function matching(q: string, from: Index): number[] {
  if (memo.from !== from) memo = { from, matches: new Map() };
  const known = memo.matches.get(q);
  if (known) return known;
  let pool: number[] | null = null;
  for (let n = q.length - 1; n > 0 && !pool; n--) pool = memo.matches.get(q.slice(0, n)) ?? null;
  const { haystacks } = from;
  const matches: number[] = [];
  if (pool) {
    for (const i of pool) if (haystacks[i].includes(q)) matches.push(i);
  } else {
    for (let i = 0; i < haystacks.length; i++) if (haystacks[i].includes(q)) matches.push(i);
  }
  if (memo.matches.size >= REMEMBERED) memo.matches.delete(memo.matches.keys().next().value!);
  memo.matches.set(q, matches);
  return matches;
}

/** The XPM column's click: open the pop-up for this file. */
export async function openXpmPicker(file: ClientFile): Promise<void> {
  picker.file = file;
  picker.suggestions = [];
  picker.error = null;
  picker.busy = false;
  picker.loading = true;
  try {
    const [, suggestions] = await Promise.all([loadXpmClients(), xpmSuggestions(file.id)]);
    if (picker.file?.id === file.id) picker.suggestions = suggestions;
  } catch (error) {
    if (picker.file?.id === file.id) picker.error = toErrorPayload(error).message;
  } finally {
    if (picker.file?.id === file.id) picker.loading = false;
  }
}

export function closeXpmPicker(): void {
  picker.file = null;
  picker.suggestions = [];
}

/** Links the pop-up's file to `uuid` (or removes its link with null), then reloads the table. */
export async function applyXpmLink(uuid: string | null): Promise<boolean> {
  const file = picker.file;
  if (!file || picker.busy) return false;
  picker.busy = true;
  picker.error = null;
  try {
    const updated = await linkXpm(file.id, uuid);
    closeXpmPicker();
    await reloadTable();
    showToast(
      "ok",
      updated.xpm ? `Linked ${updated.display_name} to XPM client ${updated.xpm.name}.` : `Removed the XPM link of ${updated.display_name}.`,
    );
    return true;
  } catch (error) {
    picker.error = (toErrorPayload(error) as ErrorPayload).message;
    return false;
  } finally {
    picker.busy = false;
  }
}

/** For tests: forget the loaded list. */
export function resetXpmForTests(): void {
  index = buildIndex([]);
  loaded = null;
  picker.clientCount = 0;
  closeXpmPicker();
}
