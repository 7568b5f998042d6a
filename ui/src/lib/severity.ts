import type { Severity } from "../bindings/Severity";
import type { WorkItem } from "../bindings/WorkItem";

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Most severe first; items of equal severity keep the core's order. */
export function bySeverity(items: readonly WorkItem[]): WorkItem[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => SEVERITY_ORDER[a.item.severity] - SEVERITY_ORDER[b.item.severity] || a.i - b.i)
    .map(({ item }) => item);
}
