// What the in-webview benchmarks share: the pause between samples, the keystrokes and clicks they
// time, and what they print for a set of samples (ms): median, 95th percentile, max.

// Samples are taken this far apart, about the pace of fast typing (7 keys a second), so each one
// starts from a page at rest. Taken back to back, a sample would start while WebKit's compositor
// thread is still drawing the previous frame: under Xvfb that is software GL (llvmpipe) on both
// cores, and it slowed the next sample's own work by half or more.
export const SAMPLE_GAP_MS = 150;

export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p95: q(0.95), max: s.at(-1) };
};

export const fmt = ({ median, p95, max }) => `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`;

/** `count` search texts, typing each word letter by letter and deleting it again, in turn. */
export function typingAndDeleting(words, count) {
  const texts = [];
  while (texts.length < count) {
    for (const word of words) {
      for (let i = 1; i <= word.length; i++) texts.push(word.slice(0, i));
      for (let i = word.length - 1; i >= 0; i--) texts.push(word.slice(0, i));
    }
  }
  return texts.slice(0, count);
}

/** What the table benchmarks type in search: the seeded names include "… Dental …". */
export const TABLE_SEARCH_WORDS = ['dental'];

/** The table's sortable columns, as their header buttons name them (`data-sort`). */
export const SORT_KEYS = ['name', 'software', 'connection', 'services', 'account_dashboard', 'xpm_dashboard', 'xpm', 'last_synced'];
