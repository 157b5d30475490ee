// Drafts of open forms, kept on the phone so a dialog closed by mistake, a reload or a dead
// battery loses nothing. A draft is whatever the form stores (photos as Blobs).
import * as idb from './db';

interface Stored<T> {
  key: string;
  at: string;
  value: T;
}

export async function loadDraft<T>(key: string): Promise<T | undefined> {
  try {
    return (await idb.get<Stored<T>>('drafts', key))?.value;
  } catch {
    return undefined;
  }
}

export async function saveDraft<T>(key: string, value: T): Promise<void> {
  try {
    await idb.put<Stored<T>>('drafts', { key, at: new Date().toISOString(), value });
  } catch {
    // No IndexedDB: the form still works, without a draft.
  }
}

export async function clearDraft(key: string): Promise<void> {
  try {
    await idb.del('drafts', key);
  } catch {
    // Nothing stored.
  }
}
