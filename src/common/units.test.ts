import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, humanDuration, humanSize, humanSizeWithPrecision } from './units.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration follows go-units thresholds', () => {
  const cases: Array<[number, string]> = [
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [-5 * S, 'Less than a second'],
    [1 * S, '1 second'],
    [59 * S + 999, '59 seconds'],
    [60 * S, 'About a minute'],
    [2 * M - 1, 'About a minute'],
    [3 * M, '3 minutes'],
    [59 * M + 59 * S, '59 minutes'],
    [60 * M, 'About an hour'],
    [H + 29 * M, 'About an hour'],
    [H + 31 * M, '2 hours'],
    [24 * H, '24 hours'],
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [13 * D + 23 * H, '13 days'],
    [14 * D, '2 weeks'],
    [59 * D, '8 weeks'],
    [60 * D, '2 months'],
    [364 * D, '12 months'],
    [729 * D, '24 months'],
    [730 * D, '2 years'],
    [3 * 365 * D + 100 * D, '3 years'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

test('humanSize: decimal units, four significant digits', () => {
  const cases: Array<[number, string]> = [
    [0, '0B'], [999, '999B'], [1000, '1kB'], [1024, '1.024kB'], [1_000_000, '1MB'], [1_048_576, '1.049MB'],
    [2_000_000, '2MB'], [3.42e9, '3.42GB'], [5.372e12, '5.372TB'], [2.22e15, '2.22PB'], [999_999, '1000kB'],
    [123_456_789, '123.5MB'], [1e28, '1e+04YB'],
  ];
  for (const [n, want] of cases) assert.equal(humanSize(n), want, String(n));
  assert.equal(humanSizeWithPrecision(1_234_567, 2), '1.2MB');
});

test('bytesSize: binary units', () => {
  const KiB = 1024;
  const cases: Array<[number, string]> = [
    [0, '0B'], [1023, '1023B'], [KiB, '1KiB'], [KiB * KiB, '1MiB'], [1.5 * KiB * KiB, '1.5MiB'],
    [3.42 * KiB ** 3, '3.42GiB'], [5.372 * KiB ** 4, '5.372TiB'], [2.22 * KiB ** 5, '2.22PiB'], [1e12, '931.3GiB'],
  ];
  for (const [n, want] of cases) assert.equal(bytesSize(n), want, String(n));
});
