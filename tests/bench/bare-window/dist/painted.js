// Two animation frames after load: the page has been painted at least once.
requestAnimationFrame(() =>
  requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("painted")),
);
