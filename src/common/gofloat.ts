/**
 * Go's float formatting (strconv.FormatFloat with 'e', 'f', 'g'). JS's toFixed/toPrecision round
 * halves away from zero on the binary value and format %g differently, so sizes like go-units'
 * "%.4g" and printf's %f would drift from docker's output. Here a double is expanded to its exact
 * decimal digits (it always has a finite expansion) and rounded half-to-even as Go does.
 */

/** A decimal d[0..nd) with the point at dp: value = 0.d × 10^dp. No trailing zeros. */
interface Decimal {
  d: string;
  dp: number;
}

const trimZeros = (dec: Decimal): Decimal => {
  const d = dec.d.replace(/0+$/, '');
  return d === '' ? { d: '', dp: 0 } : { d, dp: dec.dp };
};

/** The exact decimal expansion of a positive finite double. */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (mant === 0n) return { d: '', dp: 0 };
  if (exp >= 0) {
    const s = (mant << BigInt(exp)).toString();
    return trimZeros({ d: s, dp: s.length });
  }
  const s = (mant * 5n ** BigInt(-exp)).toString();
  return trimZeros({ d: s, dp: s.length + exp });
}

/** The shortest digits that round-trip, which JS computes the same way Go does. */
function shortestDecimal(x: number): Decimal {
  const [m, e] = x.toExponential().split('e') as [string, string];
  const d = m.replace('.', '');
  return trimZeros({ d, dp: Number(e) + 1 });
}

/** Rounds to nd significant digits, half to even (Go's decimal.Round). */
function round(dec: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= dec.d.length) return dec;
  const digit = dec.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (digit === 5 && nd + 1 === dec.d.length) up = nd > 0 && (dec.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = digit >= 5;
  if (!up) return trimZeros({ d: dec.d.slice(0, nd), dp: dec.dp });
  let i = nd - 1;
  while (i >= 0 && dec.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: dec.dp + 1 };
  return trimZeros({ d: dec.d.slice(0, i) + String.fromCharCode(dec.d.charCodeAt(i) + 1), dp: dec.dp });
}

function fmtE(dec: Decimal, prec: number, e: string): string {
  let s = dec.d.length === 0 ? '0' : dec.d[0]!;
  if (prec > 0) {
    s += '.';
    const frac = dec.d.slice(1, Math.min(dec.d.length, prec + 1));
    s += frac + '0'.repeat(prec - frac.length);
  }
  const exp = dec.d.length === 0 ? 0 : dec.dp - 1;
  const abs = Math.abs(exp);
  return `${s}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(dec: Decimal, prec: number): string {
  let s: string;
  if (dec.dp > 0) {
    const int = dec.d.slice(0, Math.min(dec.d.length, dec.dp));
    s = int + '0'.repeat(dec.dp - int.length);
  } else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dec.dp + i - 1;
      s += j >= 0 && j < dec.d.length ? dec.d[j] : '0';
    }
  }
  return s;
}

/**
 * strconv.FormatFloat(x, fmt, prec, 64) for fmt in e, E, f, g, G; prec -1 means shortest.
 * The sign is included; infinities and NaN are spelled as Go spells them (+Inf, -Inf, NaN).
 */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let dec: Decimal;
  if (abs === 0) dec = { d: '', dp: 0 };
  else if (shortest) dec = shortestDecimal(abs);
  else {
    dec = exactDecimal(abs);
    if (fmt === 'e' || fmt === 'E') dec = round(dec, prec + 1);
    else if (fmt === 'f') dec = round(dec, dec.dp + prec);
    else dec = round(dec, prec === 0 ? 1 : prec);
  }
  if (fmt === 'g' || fmt === 'G') {
    if (!shortest && prec === 0) prec = 1;
  }
  if (shortest) {
    if (fmt === 'e' || fmt === 'E') prec = Math.max(dec.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(dec.d.length - dec.dp, 0);
    else prec = dec.d.length;
  }
  let body: string;
  if (fmt === 'e' || fmt === 'E') body = fmtE(dec, prec, fmt);
  else if (fmt === 'f') body = fmtF(dec, prec);
  else {
    let eprec = prec;
    if (eprec > dec.d.length && dec.d.length >= dec.dp) eprec = dec.d.length;
    if (shortest) eprec = 6;
    const exp = dec.dp - 1;
    if (dec.d.length !== 0 && (exp < -4 || exp >= eprec)) {
      body = fmtE(dec, Math.min(prec, dec.d.length) - 1, fmt === 'g' ? 'e' : 'E');
    } else {
      if (prec > dec.dp) prec = dec.d.length;
      body = fmtF(dec, Math.max(prec - dec.dp, 0));
    }
  }
  return (neg ? '-' : '') + body;
}
