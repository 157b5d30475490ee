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

describe('home cards in English', () => {
  beforeEach(() => {
    void setLang('en');
  });

  it('says "1 survey", "2 surveys": the words follow the number', () => {
    const surveys = (open: number, paper: number): HomeCard => ({
      key: 'surveys',
      title: 'home.card.surveys_running',
      tone: 'ok',
      href: '/surveys',
      figures: [
        { key: 'surveys', unit: 'count', value: open },
        { key: 'paper_forms', unit: 'count', value: paper },
        { key: 'dossiers_overdue', unit: 'count', value: open },
      ],
    });
    const text = () =>
      screen
        .getAllByRole('listitem')
        .filter((li) => li.closest('.figures'))
        .map((li) => `${li.querySelector('strong')?.textContent} ${li.querySelector('strong + span')?.textContent}`);
    const one = render(HomeCards, { cards: [surveys(1, 1)], links: [] });
    expect(text()).toEqual(['1 survey', '1 with paper forms', '1 dossier overdue']);
    one.unmount();
    render(HomeCards, { cards: [surveys(2, 0)], links: [] });
    expect(text()).toEqual(['2 surveys', '0 with paper forms', '2 dossiers overdue']);
  });
});
