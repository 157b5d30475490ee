import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import HomeCards from '../features/home/HomeCards.svelte';
import type { HomeCard } from '../features/home/api';
import { setLang } from '../i18n/index.svelte';

const card: HomeCard = {
  key: 'onestop',
  title: 'home.card.onestop',
  tone: 'ok',
  href: '/onestop/dashboard',
  figures: [
    { key: 'on_time', unit: 'percent', value: 93.8 },
    { key: 'dossiers_overdue', unit: 'count', value: 1234, href: '/onestop?view=overdue' },
    { key: 'index766', unit: 'percent', value: null },
  ],
};

describe('home cards', () => {
  beforeEach(() => {
    void setLang('vi');
  });

  it('writes figures as the rest of the app does: 93,8% (no space), 1.234, and – for no figure', () => {
    render(HomeCards, { cards: [card], links: [] });
    const figures = screen.getAllByRole('listitem').filter((li) => li.closest('.figures'));
    const text = figures.map((li) => li.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    expect(text[0]).toMatch(/^93,8%/);
    expect(text[1]).toMatch(/^1\.234/);
    expect(text[2]).toMatch(/^–/);
    expect(screen.getByText('1.234').closest('a')?.getAttribute('href')).toBe('/onestop?view=overdue');
  });
});
