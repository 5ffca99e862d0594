/** Number and duration formats shared by the terminal, the notebooks and the figures. */

/** Human form of a duration in seconds: `42.0 s`, `3.2 min`, `1.5 h`. */
export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  const abs = Math.abs(s);
  if (abs < 120) return `${s.toFixed(1)} s`;
  if (abs < 7200) return `${(s / 60).toFixed(1)} min`;
  if (abs < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}
