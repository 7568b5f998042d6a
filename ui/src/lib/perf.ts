// Marks "input → painted rows" for the UI benchmarks: each measure starts when staff act (a
// keystroke in search, a click on a sort header) and ends after the next frame is painted.
// Read them in the webview with performance.getEntriesByName("switchboard:search") / ":sort".
import { tick } from "svelte";

export function measureToPaint(name: "search" | "sort" | "filter"): void {
  if (typeof performance === "undefined" || typeof requestAnimationFrame === "undefined") return;
  const start = performance.now();
  void tick()
    .then(afterNextPaint)
    .then(() => {
      try {
        performance.measure(`switchboard:${name}`, { start, end: performance.now() });
      } catch {
        /* measure() with options is missing in very old engines; the benchmark is optional. */
      }
    });
}

/** Resolves once the next frame has been painted: a task queued from rAF runs after that frame. */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** A start-up milestone, read by the start-up benchmark as performance mark `switchboard:<name>`. */
export function mark(name: string): void {
  if (typeof performance !== "undefined") performance.mark(`switchboard:${name}`);
}

/** Every start-up milestone so far: name → ms since the page's navigation started. */
export function milestones(): Record<string, number> {
  if (typeof performance === "undefined") return {};
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("switchboard:"));
  return Object.fromEntries(marks.map((m) => [m.name.slice("switchboard:".length), Math.round(m.startTime)]));
}
