// "Now" for relative times, ticking every 30 s. Tests pin it with setNow().
export const clock = $state({ now: Date.now() });

let pinned = false;

export function setNow(ms: number): void {
  pinned = true;
  clock.now = ms;
}

export function startClock(): () => void {
  const timer = setInterval(() => {
    if (!pinned) clock.now = Date.now();
  }, 30_000);
  return () => clearInterval(timer);
}
