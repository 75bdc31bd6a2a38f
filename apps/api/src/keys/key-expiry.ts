// `expiresAt` of an API key as Meilisearch 1.50 reads and renders it (Rust `time` crate): RFC 3339
// with any one-byte date/time separator, any number of fraction digits (nanoseconds kept, the rest
// dropped), `Z`/`z` or a ±HH:MM offset (kept for display), a leap second only as the last second
// of a month (read as 23:59:59.999999999); else `YYYY-MM-DDTHH:MM:SS`, `YYYY-MM-DD HH:MM:SS` or
// `YYYY-MM-DD` in UTC (year optionally signed). It must lie in the future.

export interface KeyExpiry {
  /** As Meilisearch renders it: the client's offset kept, trailing zeros of the fraction dropped. */
  readonly text: string;
  /** The same instant in a form Postgres parses. */
  readonly instant: string;
  /** Epoch milliseconds (rounded down). */
  readonly ms: number;
}

interface DateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  /** Minutes east of UTC. */
  offset: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[\x00-\x7f](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[zZ]|([+-])(\d{2}):(\d{2}))$/;
const PRIMITIVE = /^[+-]?(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2}))?$/;

/** The expiry, or undefined when Meilisearch refuses it (bad format, impossible date, not in the future). */
export function parseExpiresAt(input: string, nowMs: number): KeyExpiry | undefined {
  const dt = fromRfc3339(input) ?? fromPrimitive(input);
  if (!dt) return undefined;
  const ms = epochMs(dt);
  if (ms < nowMs || (ms === nowMs && dt.nanos % 1_000_000 === 0)) return undefined;
  return { text: render(dt), instant: postgresInstant(dt), ms };
}

function fromRfc3339(input: string): DateTime | undefined {
  const m = RFC3339.exec(input);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = m;
  const offsetHour = Number(oh ?? 0);
  const offsetMinute = Number(om ?? 0);
  if (offsetHour > 23 || offsetMinute > 59) return undefined;
  const dt: DateTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    nanos: fraction ? Number(fraction.slice(0, 9).padEnd(9, '0')) : 0,
    offset: (sign === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute),
  };
  const leap = dt.second === 60;
  if (leap) Object.assign(dt, { second: 59, nanos: 999_999_999 });
  if (!validFields(dt)) return undefined;
  return leap && !lastSecondOfMonthUtc(dt) ? undefined : dt;
}

function fromPrimitive(input: string): DateTime | undefined {
  const m = PRIMITIVE.exec(input);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const year = input.startsWith('-') ? -Number(y) : Number(y);
  const dt: DateTime = { year, month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0), nanos: 0, offset: 0 };
  return validFields(dt) ? dt : undefined;
}

function validFields(dt: DateTime): boolean {
  if (dt.month < 1 || dt.month > 12 || dt.day < 1 || dt.day > daysInMonth(dt.year, dt.month)) return false;
  return dt.hour <= 23 && dt.minute <= 59 && dt.second <= 59;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function epochMs(dt: DateTime): number {
  const d = new Date(0);
  // setUTCFullYear: Date.UTC would read years 0 to 99 as 1900 to 1999.
  d.setUTCFullYear(dt.year, dt.month - 1, dt.day);
  d.setUTCHours(dt.hour, dt.minute, dt.second, Math.floor(dt.nanos / 1_000_000));
  return d.getTime() - dt.offset * 60_000;
}

/** A leap second stands for 23:59:59.999999999 UTC on the last day of a month, and nothing else. */
function lastSecondOfMonthUtc(dt: DateTime): boolean {
  const utc = new Date(epochMs(dt));
  const next = new Date(utc.getTime() + 1);
  return utc.getUTCHours() === 23 && utc.getUTCMinutes() === 59 && utc.getUTCSeconds() === 59 && next.getUTCDate() === 1;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function clock(dt: DateTime): string {
  return `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.day)}T${pad(dt.hour)}:${pad(dt.minute)}:${pad(dt.second)}`;
}

function offsetText(offset: number): string {
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function render(dt: DateTime): string {
  const fraction = dt.nanos === 0 ? '' : `.${pad(dt.nanos, 9).replace(/0+$/, '')}`;
  return `${clock(dt)}${fraction}${dt.offset === 0 ? 'Z' : offsetText(dt.offset)}`;
}

function postgresInstant(dt: DateTime): string {
  return `${clock(dt)}.${pad(dt.nanos, 9)}${offsetText(dt.offset)}`;
}
