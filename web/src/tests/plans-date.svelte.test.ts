import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import DateInput from '../features/plans/DateInput.svelte';
import { vi as viDict } from '../i18n/all';

describe('date input', () => {
  it('shows and takes dd/mm/yyyy while its value stays yyyy-mm-dd', async () => {
    const props = $state({ id: 'd', value: '2026-01-05' as string | null });
    render(DateInput, { props });
    const input = screen.getByRole('textbox') as HTMLInputElement;
    expect(input.value).toBe('05/01/2026');
    await fireEvent.input(input, { target: { value: '28/2/202' } });
    expect(input.value).toBe('28/2/202');
    await fireEvent.input(input, { target: { value: '28/2/2026' } });
    expect(props.value).toBe('2026-02-28');
    await fireEvent.input(input, { target: { value: '31/02/2026' } });
    await fireEvent.blur(input);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(viDict['plans.date_format'])).toBeInTheDocument();
    expect(props.value).toBe('2026-02-28');
  });
});
