// Hash routes: "#/" is the table, "#/clients/42/console" and "#/clients/42/work-list" the pages,
// "#/settings" the app's Settings.
import type { FileId } from "../bindings/FileId";

export type Route =
  | { page: "table" }
  | { page: "console"; id: FileId }
  | { page: "work-list"; id: FileId }
  | { page: "settings" }
  | { page: "access"; email: string }
  | { page: "xpm-review" }
  | { page: "reports"; id: FileId };

export function parseHash(hash: string): Route {
  if (/^#?\/settings\/?$/.test(hash)) return { page: "settings" };
  if (/^#?\/xpm-review\/?$/.test(hash)) return { page: "xpm-review" };
  const access = /^#?\/access(?:\/([^/]*))?\/?$/.exec(hash);
  if (access) {
    try {
      return { page: "access", email: decodeURIComponent(access[1] ?? "") };
    } catch {
      return { page: "access", email: "" };
    }
  }
  const reports = /^#?\/clients\/(\d+)\/reports\/?$/.exec(hash);
  if (reports && Number.isSafeInteger(Number(reports[1]))) return { page: "reports", id: Number(reports[1]) };
  const match = /^#?\/clients\/(\d+)\/(console|work-list)\/?$/.exec(hash);
  if (match) {
    const id = Number(match[1]);
    if (Number.isSafeInteger(id)) return { page: match[2] as "console" | "work-list", id };
  }
  return { page: "table" };
}

export const consoleHref = (id: FileId): string => `#/clients/${id}/console`;
export const workListHref = (id: FileId): string => `#/clients/${id}/work-list`;
export const reportsHref = (id: FileId): string => `#/clients/${id}/reports`;
export const tableHref = "#/";
export const settingsHref = "#/settings";
/** The practice-wide "who can see what" page, for one email (or empty to type one). */
export const accessHref = (email = ""): string => `#/access/${encodeURIComponent(email)}`;
export const xpmReviewHref = "#/xpm-review";

export const router = $state<{ route: Route }>({ route: parseHash(location.hash) });

export function syncRoute(): void {
  router.route = parseHash(location.hash);
}

export function navigate(href: string): void {
  if (location.hash === href) return;
  location.hash = href;
  syncRoute();
}
