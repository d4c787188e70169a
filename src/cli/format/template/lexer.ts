/**
 * Lexer for Go's text/template syntax. It is a state machine like Go's (text between actions,
 * then tokens inside `{{ }}`), pulled one item at a time by the parser. Trim markers (`{{- `,
 * ` -}}`) are applied here so the parser never sees the trimmed space, and error wording matches
 * Go's, because docker users see these messages verbatim.
 */
import { goQuote } from './quote.js';

export type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof'
  | 'field' | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString'
  | 'rightDelim' | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range'
  | 'template' | 'with';

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define', else: 'else',
  end: 'end', if: 'if', range: 'range', nil: 'nil', template: 'template', with: 'with',
};

const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS));

export function isKeyword(t: ItemType): boolean {
  return KEYWORD_TYPES.has(t);
}

/** Go's item.String(), used in "unexpected X in Y" parse errors. */
export function itemString(i: Item): string {
  if (i.type === 'eof') return 'EOF';
  if (i.type === 'error') return i.val;
  if (isKeyword(i.type)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

const LEFT = '{{';
const RIGHT = '}}';
const EOF = -1;

type StateFn = ((l: Lexer) => StateFn) | null;

export const isSpace = (r: number): boolean => r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
export const isAlphaNumeric = (r: number): boolean => r >= 0 && ALNUM.test(String.fromCodePoint(r));
const hasLeftTrim = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s.charCodeAt(1));
const hasRightTrim = (s: string): boolean => s.length >= 2 && isSpace(s.charCodeAt(0)) && s[1] === '-';
const rightTrimLength = (s: string): number => s.length - s.replace(/[ \t\r\n]+$/, '').length;
const leftTrimLength = (s: string): number => s.length - s.replace(/^[ \t\r\n]+/, '').length;
const countNewlines = (s: string): number => s.split('\n').length - 1;

/** The printable-ASCII check Go uses for single "char" items like `,` and `=`. */
const isPrintableAscii = (r: number): boolean => r >= 0x20 && r < 0x7f;

/** Scanner state; the state functions below read and move it directly, as Go's do. */
export class Lexer {
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  insideAction = false;
  private atEOF = false;
  private item: Item = { type: 'eof', pos: 0, val: 'EOF', line: 1 };

  constructor(public input: string, readonly options: { breakOK: boolean; continueOK: boolean }) {}

  nextItem(): Item {
    this.item = { type: 'eof', pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  // --- primitives, mirroring Go's lexer so positions and line counts agree ---
  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 0x0a) this.line++;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (this.atEOF || this.pos <= 0) return;
    const prev = this.input.charCodeAt(this.pos - 1);
    const w = prev >= 0xdc00 && prev <= 0xdfff && this.pos >= 2 ? 2 : 1;
    this.pos -= w;
    if (prev === 0x0a) this.line--;
  }

  thisItem(type: ItemType): Item {
    const i: Item = { type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  emit(type: ItemType): StateFn {
    return this.emitItem(this.thisItem(type));
  }

  emitItem(i: Item): StateFn {
    this.item = i;
    return null;
  }

  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(message: string): StateFn {
    this.item = { type: 'error', pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  atRightDelim(): { delim: boolean; trim: boolean } {
    const rest = this.input.slice(this.pos);
    if (hasRightTrim(rest) && rest.startsWith(RIGHT, 2)) return { delim: true, trim: true };
    if (rest.startsWith(RIGHT)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF || '.,|:)('.includes(String.fromCodePoint(r))) return true;
    return this.input.startsWith(RIGHT, this.pos);
  }
}

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      const delimEnd = l.pos + LEFT.length;
      const trim = hasLeftTrim(l.input.slice(delimEnd)) ? rightTrimLength(l.input.slice(l.start, l.pos)) : 0;
      l.pos -= trim;
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      const i = l.thisItem('text');
      l.pos += trim;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    return l.emit('text');
  }
  return l.emit('eof');
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += LEFT.length;
  const trim = hasLeftTrim(l.input.slice(l.pos));
  const after = trim ? 2 : 0;
  if (l.input.startsWith('/*', l.pos + after)) {
    l.pos += after;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem('leftDelim');
  l.insideAction = true;
  l.pos += after;
  l.ignore();
  l.parenDepth = 0;
  return l.emitItem(i);
}

function lexComment(l: Lexer): StateFn {
  l.pos += 2;
  const x = l.input.indexOf('*/', l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + 2;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.line += countNewlines(l.input.slice(l.start, l.pos));
  l.thisItem('text'); // comments are dropped; only positions advance
  if (trim) l.pos += 2;
  l.pos += RIGHT.length;
  if (trim) l.pos += leftTrimLength(l.input.slice(l.pos));
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const { trim } = l.atRightDelim();
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT.length;
  const i = l.thisItem('rightDelim');
  if (trim) {
    l.pos += leftTrimLength(l.input.slice(l.pos));
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(i);
}

function lexInsideAction(l: Lexer): StateFn {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(); // the space may start a " -}}"
    return lexSpace;
  }
  const c = String.fromCodePoint(r);
  switch (c) {
    case '=': return l.emit('assign');
    case ':':
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      return l.emit('declare');
    case '|': return l.emit('pipe');
    case '"': return lexQuote;
    case '`': return lexRawQuote;
    case '$': return lexVariable;
    case "'": return lexChar;
    case '(':
      l.parenDepth++;
      return l.emit('leftParen');
    case ')':
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      return l.emit('rightParen');
  }
  if (c === '.') {
    const n = l.input.charCodeAt(l.pos);
    if (l.pos < l.input.length && (n < 0x30 || n > 0x39)) return lexField;
  }
  if (c === '.' || c === '+' || c === '-' || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (isPrintableAscii(r)) return l.emit('char');
  return l.errorf(`unrecognized character in action: ${unicodeName(r)}`);
}

/** Go's %#U: `U+0041 'A'`. */
export function unicodeName(r: number): string {
  const hex = r.toString(16).toUpperCase().padStart(4, '0');
  return r < 0x20 || r === 0x7f || r === EOF ? `U+${hex}` : `U+${hex} '${String.fromCodePoint(r)}'`;
}

function lexSpace(l: Lexer): StateFn {
  let n = 0;
  while (isSpace(l.peek())) {
    l.next();
    n++;
  }
  const rest = l.input.slice(l.pos - 1);
  if (hasRightTrim(rest) && rest.startsWith(RIGHT, 2)) {
    l.backup();
    if (n === 1) return lexRightDelim;
  }
  return l.emit('space');
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${unicodeName(r)}`);
    const kw = KEYWORDS[word];
    if (kw && kw !== 'dot') {
      if ((kw === 'break' && !l.options.breakOK) || (kw === 'continue' && !l.options.continueOK)) {
        return l.emit('identifier');
      }
      return l.emit(kw);
    }
    if (word === 'true' || word === 'false') return l.emit('bool');
    return l.emit('identifier');
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) return l.emit('variable');
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, type: 'field' | 'variable'): StateFn {
  if (l.atTerminator()) return l.emit(type === 'variable' ? 'variable' : 'dot');
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${unicodeName(r)}`);
  return l.emit(type);
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === 0x5c) {
      const n = l.next();
      if (n !== EOF && n !== 0x0a) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF || r === 0x0a) return l.errorf('unterminated character constant');
    if (r === 0x27) break;
  }
  return l.emit('charConstant');
}

function lexNumber(l: Lexer): StateFn {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    return l.emit('complex');
  }
  return l.emit('number');
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === 0x5c) {
      const n = l.next();
      if (n !== EOF && n !== 0x0a) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF || r === 0x0a) return l.errorf('unterminated quoted string');
    if (r === 0x22) break;
  }
  return l.emit('string');
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) break;
  }
  return l.emit('rawString');
}
