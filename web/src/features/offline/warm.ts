// A village head's phone keeps, while it has a network, what they need in the village where it
// often has none (docs/offline.md §3): the surveys to capture and the notices to relay, under
// the keys their pages read, so "Khảo sát hài lòng" and "Công khai" open offline even when the
// head only opened the landing page online. A chunk of its own, loaded by the shell (App.svelte)
// only for a village head, once per session started online, when the phone is idle; it warms
// again when the network returns.
import { session } from '../../lib/session.svelte';
import { whenIdle } from '../../lib/idle';
import { keepCapturable, readSurveys } from '../surveys/offline';
import { keepForVillage } from '../democracy/offline';

let running: Promise<void> | null = null;
/** Asked again while running (the network came back meanwhile): one more run after it. */
let again = false;
let listening = false;

/** Whose phone to warm now: a village head signed in with a network (null otherwise). */
function villageHead(): { id: number; may: (p: string) => boolean } | null {
  const me = session.me;
  const online = typeof navigator === 'undefined' || navigator.onLine !== false;
  if (!me || me.user.role !== 'village' || session.offline || !online) return null;
  return { id: me.user.id, may: (p) => (me.permissions as string[]).includes(p) };
}

async function run(): Promise<void> {
  await whenIdle();
  const who = villageHead();
  if (!who) return;
  const { id, may } = who;
  // Ends when someone else signs in on the phone: what they read is not this head's to keep.
  const stopped = () => session.me?.user.id !== id;
  const none = () => {};
  // Each part on its own: a refusal or a dropped line in one does not stop the other.
  if (may('read_statistics') && may('capture_survey_answers')) {
    await readSurveys(id, none)
      .then((list) => keepCapturable(id, list.items, new Set(), stopped))
      .catch(none);
  }
  if (may('read_democracy') && !stopped()) await keepForVillage(id, stopped).catch(none);
}

/**
 * Keeps the surveys and notices of the signed-in village head for reading offline, once the
 * phone is idle; nothing for another role, when the phone has no network, or when the session
 * was started offline. A call while one runs makes it run once more after. From the first call
 * on, the phone warms again each time the network returns (`online`).
 */
export function warm(): Promise<void> {
  if (!listening && typeof window !== 'undefined') {
    listening = true;
    window.addEventListener('online', () => void warm());
  }
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await run();
    } while (again);
  })().finally(() => (running = null));
  return running;
}
