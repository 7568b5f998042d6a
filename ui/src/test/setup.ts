// Vitest setup: jsdom lacks a few browser APIs the UI uses.
if (!("scrollTo" in Element.prototype)) {
  (Element.prototype as unknown as { scrollTo: () => void }).scrollTo = () => {};
}
