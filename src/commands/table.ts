import { escapeControl } from '../text/escape.js';

/**
 * Renders rows as a plain-text table with aligned columns, for terminal output. Cells are
 * escaped (escapeControl): a newline or escape sequence in a file or image name cannot forge a row.
 */
export function renderTable(header: readonly string[], unsafeRows: readonly (readonly string[])[]): string {
  const rows = unsafeRows.map((row) => row.map(escapeControl));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
