// Renders the Client Connections table over fixture files, with a fixed viewport.
import { render } from "@testing-library/svelte";
import type { ClientFile } from "../bindings/ClientFile";
import type { PracticeSummary } from "../bindings/PracticeSummary";
import ClientTable from "../components/client-table/ClientTable.svelte";
import { setNow } from "../lib/clock.svelte";
import { buildModel } from "../lib/table-model";
import { resetViewState } from "../lib/view-state.svelte";
import { makeSummary, NOW } from "./fixtures";

/** Header 46 px + 10 rows of 48 px. */
export const TEN_ROWS = 46 + 10 * 48;

export function renderTable(files: ClientFile[], summary: Partial<PracticeSummary> = {}, viewportHeight = TEN_ROWS) {
  resetViewState();
  setNow(NOW);
  const model = buildModel(files);
  const result = render(ClientTable, { props: { model, summary: makeSummary(files, summary), viewportHeight } });
  const { container } = result;
  const row = (id: number) => {
    const el = container.querySelector<HTMLElement>(`[role="row"][data-id="${id}"]`);
    if (!el) throw new Error(`row ${id} is not rendered`);
    return el;
  };
  const cell = (id: number, column: number) => row(id).querySelector<HTMLElement>(`[aria-colindex="${column}"]`)!;
  const renderedIds = () =>
    Array.from(container.querySelectorAll<HTMLElement>('[role="row"][data-id]')).map((el) => Number(el.dataset.id));
  /** Row ids in on-screen order (by aria-rowindex). */
  const shownIds = () =>
    Array.from(container.querySelectorAll<HTMLElement>('[role="row"][data-id]'))
      .sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")))
      .map((el) => Number(el.dataset.id));
  const grid = () => container.querySelector<HTMLElement>('[role="grid"]')!;
  return { ...result, model, row, cell, renderedIds, shownIds, grid };
}
