// The one way the app hands a file to the user: a blob behind a temporary object URL and a clicked link.

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** CSV as a file (UTF-8 with a byte-order mark, so spreadsheet programs read "×", "γ" and "−" right). */
export function saveCsv(text: string, name: string): void {
  saveBlob(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }), name);
}
