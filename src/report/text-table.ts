/** A column of a terminal table: numbers read best right-aligned, names left-aligned. */
export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
}

export interface TextTableOptions {
  /** Wraps a finished cell (already padded) in colour codes; called for body cells only. */
  paint?: (text: string, row: number, column: number) => string;
  /** Wraps the header row. */
  paintHeader?: (text: string) => string;
}

// Colour codes take no room on screen, so widths are measured without them.
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleWidth = (text: string) => [...text.replace(ANSI, '')].length;

/** Columns separated by two spaces, a dashed rule under the header, no trailing spaces. */
export function formatTextTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], options: TextTableOptions = {}): string {
  const widths = columns.map((column, i) => Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))));
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(widths[i] - visibleWidth(text));
    return columns[i].align === 'right' ? gap + text : text + gap;
  };
  const header = columns.map((column, i) => pad(column.header, i)).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body = rows.map((row, r) =>
    columns
      .map((_, i) => {
        const cell = pad(row[i] ?? '', i);
        return options.paint ? options.paint(cell, r, i) : cell;
      })
      .join('  ')
      .trimEnd(),
  );
  return [options.paintHeader ? options.paintHeader(header) : header, rule, ...body].join('\n');
}
