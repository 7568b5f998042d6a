// What the table shows (search, filters, sort, selection, scroll), kept at module level so it
// survives a visit to a Client Console or Work list page and back.
import type { FileId } from "../bindings/FileId";
import type { SoftwareFilter, Sort, StatusFilter } from "./table-model";

export interface ViewState {
  search: string;
  status: StatusFilter[];
  software: SoftwareFilter[];
  sort: Sort;
  selectedId: FileId | null;
  scrollTop: number;
}

function initial(): ViewState {
  return { search: "", status: [], software: [], sort: { key: "name", dir: "asc" }, selectedId: null, scrollTop: 0 };
}

export const viewState = $state<ViewState>(initial());

export function resetViewState(): void {
  Object.assign(viewState, initial());
}
