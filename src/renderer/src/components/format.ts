// Number, time and duration formatting shared by the views.

/** Formats seconds as "45 s", "12 min 3 s" or "2 h 5 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';

  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** Formats an ISO time as local "YYYY-MM-DD HH:MM". */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '–';

  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Formats a ratio like 4 as "4 : 1" and 0.25 as "1 : 4". */
export function formatRatio(ratio: number): string {
  const round = (value: number): string => String(Number(value.toPrecision(3)));
  return ratio >= 1 ? `${round(ratio)} : 1` : `1 : ${round(1 / ratio)}`;
}

/** Formats a step count with thousands separators. */
export function formatSteps(steps: number): string {
  return steps.toLocaleString('en-US');
}
