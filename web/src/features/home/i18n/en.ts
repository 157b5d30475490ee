import type { Translation } from '../../../i18n/types';
import type { vi } from './vi';

/** English messages of the home page: exactly the keys of ./vi.ts. */
export const en: Translation<typeof vi> = {
  'home.greeting': 'Hello, {name}!',
  'home.intro': 'These are the modules available to your role.',
  'home.commune': 'Commune',
  'home.role': 'Role',
  'home.unit': 'Unit',
  'home.authority': 'Authority',
  'home.no_commune': 'Not tied to one commune',
  'home.modules': 'Modules',
  'home.soon': 'Coming soon',
  'home.open': 'Open',
  'home.about_you': 'About you',
};
