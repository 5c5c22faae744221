/** A table cell: numbers are written in shortest round-trip form, `null` as an empty field. */
export type Cell = string | number | boolean | null;

/**
 * RFC 4180 CSV text of a header and rows (`\n` line ends). Numbers are written with `String(x)`, the
 * shortest text that reads back to the same double (`NaN`, `Infinity`, `-Infinity` spelt so); fields
 * with a comma, quote, line break or edge space are quoted, quotes doubled.
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [columns, ...rows].map((row) => row.map(field).join(",")).join("\n") + "\n";
}

function field(c: Cell | undefined): string {
  if (c === null || c === undefined) return "";
  const s = typeof c === "number" ? String(c) : typeof c === "boolean" ? (c ? "true" : "false") : c;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
