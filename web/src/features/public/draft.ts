// A form's draft kept for this tab only (sessionStorage, never localStorage: a citizen's form is
// often filled on a shared or borrowed phone, and what they typed must not outlive the tab). A
// reload, or the phone dropping the page while the camera is open, gives it back; sending clears it.

/** The draft kept under `key`, or null (none, unreadable, or no storage). */
export function loadDraft<T extends object>(key: string): Partial<T> | null {
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return null;
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<T>) : null;
  } catch {
    return null;
  }
}

/** Keeps `value` as the draft under `key`. */
export function saveDraft(key: string, value: object): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // No storage (a private window) or full: the form still works, only a reload loses it.
  }
}

/** Forgets the draft (once the form is sent). */
export function clearDraft(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing kept.
  }
}
