/**
 * Go's text/tabwriter (elastic tabstops), as docker/cli's fork of it aligns every table. Cells
 * are tab-terminated: text after a line's last tab is not part of any column. A column is a run
 * of adjacent lines having a cell at that index; its width is the widest cell plus padding, at
 * least minwidth. Widths count terminal columns (East Asian wide runes as 2), as docker's fork
 * does with go-runewidth. Escape sequences and HTML filtering are not supported.
 */

export const TabFlags = {
  AlignRight: 4,
  DiscardEmptyColumns: 8,
  TabIndent: 16,
  Debug: 32,
} as const;

interface Cell {
  size: number; // UTF-16 code units of text
  width: number; // terminal columns
  htab: boolean; // terminated by '\t' (not '\v')
}

/** Terminal width of a string: 0 for combining marks and controls, 2 for wide runes. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += runeWidth(ch.codePointAt(0)!);
  return w;
}

const WIDE: Array<[number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x25fd, 0x25fe],
  [0x2614, 0x2615], [0x2648, 0x2653], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c], [0x2753, 0x2755],
  [0x2795, 0x2797], [0x2b1b, 0x2b1c], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff], [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

function runeWidth(r: number): number {
  if (r < 0x20 || (r >= 0x7f && r < 0xa0)) return 0;
  if (r < 0x300) return 1;
  if (/^[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]$/u.test(String.fromCodePoint(r))) return 0;
  for (const [lo, hi] of WIDE) if (r >= lo && r <= hi) return 2;
  return 1;
}

export class TabWriter {
  private buf = '';
  private pos = 0;
  private cell: Cell = { size: 0, width: 0, htab: false };
  private lines: Cell[][] = [[]];
  private widths: number[] = [];
  private out: string[] = [];
  private readonly flags: number;

  /**
   * Same parameters as Go's tabwriter.NewWriter. docker uses (10, 1, 3, ' ', 0): columns at
   * least 10 wide, three spaces between them.
   */
  constructor(
    private readonly minwidth: number,
    private readonly tabwidth: number,
    private readonly padding: number,
    private readonly padchar = ' ',
    flags = 0,
  ) {
    if (minwidth < 0 || tabwidth < 0 || padding < 0) throw new RangeError('negative minwidth, tabwidth, or padding');
    // Padding with tabs forces left alignment.
    this.flags = padchar === '\t' ? flags & ~TabFlags.AlignRight : flags;
  }

  write(text: string): void {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.append(text.slice(n, i));
      this.updateWidth();
      n = i + 1;
      const ncells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // A line with a single cell cannot affect later columns, so what is buffered can go out.
        if (ch === '\f' || ncells === 1) {
          this.flushInternal();
          if (ch === '\f' && this.flags & TabFlags.Debug) this.out.push('---\n');
        }
      }
    }
    this.append(text.slice(n));
  }

  /** Formats everything buffered and returns all output produced since the last flush. */
  flush(): string {
    this.flushInternal();
    const s = this.out.join('');
    this.out = [];
    return s;
  }

  private append(text: string): void {
    this.buf += text;
    this.cell.size += text.length;
  }

  private updateWidth(): void {
    this.cell.width += displayWidth(this.buf.slice(this.pos));
    this.pos = this.buf.length;
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1]!;
    line.push(this.cell);
    this.cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  private flushInternal(): void {
    if (this.cell.size > 0) this.terminateCell(false);
    this.format(0, 0, this.lines.length);
    this.buf = '';
    this.pos = 0;
    this.cell = { size: 0, width: 0, htab: false };
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === '\t' || useTabs) {
      if (this.tabwidth === 0) return; // tabs have no width: no padding possible
      const w = Math.ceil(cellw / this.tabwidth) * this.tabwidth;
      this.out.push('\t'.repeat(Math.ceil((w - textw) / this.tabwidth)));
      return;
    }
    this.out.push(this.padchar.repeat(Math.max(cellw - textw, 0)));
  }

  private writeLines(pos0: number, line0: number, line1: number): number {
    let pos = pos0;
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let useTabs = (this.flags & TabFlags.TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.flags & TabFlags.Debug) this.out.push('|');
        if (c.size === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, useTabs);
          return;
        }
        useTabs = false;
        const text = this.buf.slice(pos, pos + c.size);
        pos += c.size;
        if (this.flags & TabFlags.AlignRight) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
          this.out.push(text);
        } else {
          this.out.push(text);
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
        }
      });
      if (i + 1 === this.lines.length) {
        // The last buffered line has no newline yet: write its pending text only.
        this.out.push(this.buf.slice(pos, pos + this.cell.size));
        pos += this.cell.size;
      } else this.out.push('\n');
    }
    return pos;
  }

  /** Formats lines [line0, line1) column by column, recursing into each column block. */
  private format(pos0: number, line0: number, line1: number): number {
    let pos = pos0;
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= this.lines[t]!.length - 1) continue;
      // This line has a cell in this column: print the lines above, then size the block.
      pos = this.writeLines(pos, line0, t);
      line0 = t;
      let width = this.minwidth;
      let discardable = true;
      for (; t < line1; t++) {
        const line = this.lines[t]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + this.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.flags & TabFlags.DiscardEmptyColumns) width = 0;
      this.widths.push(width);
      pos = this.format(pos, line0, t);
      this.widths.pop();
      line0 = t;
    }
    return this.writeLines(pos, line0, line1);
  }
}
