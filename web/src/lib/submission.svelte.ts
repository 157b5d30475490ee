// One guard for a form's submit: a second submit while one is on its way is ignored, the last
// error is cleared when it starts and kept when it throws, and `saving` comes back down however
// it ends. The error is kept as thrown (an ApiError, usually): the form turns it into sentences
// with lib/errors (`errorMessage`, `fieldMessage`, …), as it did when each form held its own.

export class Submission {
  /** True while the work runs: the submit button is disabled by it. */
  saving = $state(false);
  /**
   * What the last run threw, or null. A form may set it itself too: a check of its own before
   * sending (thrown from the work, or set outside it), or an error of a nearby action it shows.
   */
  error = $state<unknown>(null);

  /** Runs `work` unless a run is already on its way; what it throws becomes `error`. */
  run = async (work: () => Promise<unknown> | void): Promise<void> => {
    if (this.saving) return;
    this.saving = true;
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = e;
    } finally {
      this.saving = false;
    }
  };
}
