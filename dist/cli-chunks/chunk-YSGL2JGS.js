import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  escapeControl
} from "./chunk-TH6AUOUN.js";

// src/commands/table.ts
function renderTable(header, unsafeRows) {
  const rows = unsafeRows.map((row) => row.map(escapeControl));
  const widths = header.map(
    (title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export {
  renderTable
};
