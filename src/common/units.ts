/**
 * docker/go-units' human-readable durations and sizes, as docker's tables print them
 * ("About an hour", "3 weeks", "1.5MB", "1.5MiB"). Sizes use Go's "%.4g", which keeps at most
 * four significant digits and drops trailing zeros, so the Go float formatter is reused here.
 */
import { formatFloat } from './gofloat.js';

/** go-units HumanDuration; callers append " ago" as docker does. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  // Hours round to nearest (Go adds 0.5 before truncating); years truncate.
  const hours = Math.trunc(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3600000) / 24 / 365)} years`;
}

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scale(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]!];
}

/** Go's %.Ng: N significant digits, trailing zeros dropped, exponent form when large. */
const goG = (v: number, precision: number): string => formatFloat(v, 'g', precision);

/** go-units HumanSizeWithPrecision: decimal (1000-based) units. */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [v, unit] = scale(bytes, 1000, DECIMAL_UNITS);
  return goG(v, precision) + unit;
}

/** go-units HumanSize: "1.5MB", "999B", "1kB", with four significant digits. */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** go-units BytesSize: binary (1024-based) units, "1.5MiB". */
export function bytesSize(bytes: number): string {
  const [v, unit] = scale(bytes, 1024, BINARY_UNITS);
  return goG(v, 4) + unit;
}
