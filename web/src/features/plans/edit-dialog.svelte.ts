// One dialog of the plan editor that edits a record (an area, a step, a task): open for one record
// or for a new one, the server's refusal, and the save.
export class EditDialog<R extends { id: number }> {
  open = $state(false);
  /** The record being edited; null for a new one. */
  editing = $state<R | null>(null);
  error = $state<unknown>(null);

  show(record: R | null): void {
    this.editing = record;
    this.error = null;
    this.open = true;
  }

  /** Updates the record being edited or creates one; then closes and runs `after`. A refusal
   *  stays in the dialog. */
  async save(update: (id: number) => Promise<unknown>, create: () => Promise<unknown>, after: () => Promise<void>): Promise<void> {
    const editing = this.editing;
    this.error = null;
    try {
      if (editing) await update(editing.id);
      else await create();
      this.open = false;
      await after();
    } catch (err) {
      this.error = err;
    }
  }
}
