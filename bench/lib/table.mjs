// A plain-text table: right-aligned columns, a dashed rule under the header. Also valid Markdown.

export function table(header, rows) {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '–' : String(cell))));
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padStart(widths[column])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => `${'-'.repeat(w - 1)}:`).join(' | ')} |`, ...cells.map(line)].join('\n');
}
