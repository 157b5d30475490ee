/** aria-describedby for a control rendered inside <Field>: its hint and error paragraphs. */
export function describedBy(id: string, error?: string, hint?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** Sets the tab title as "<page> · Thân Thiện". */
export function setTitle(page: string): void {
  document.title = page ? `${page} · Thân Thiện` : 'Thân Thiện';
}
