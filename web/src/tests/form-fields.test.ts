import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import FieldsHarness from './FieldsHarness.svelte';

describe('InputField and SelectField', () => {
  it('label their control, pass its attributes on and bind its value', async () => {
    render(FieldsHarness);
    const input = screen.getByLabelText('Họ tên') as HTMLInputElement;
    expect(input.id).toBe('f-name');
    expect(input).toHaveAttribute('name', 'full_name');
    expect(input).toHaveAttribute('autocomplete', 'off');
    expect(input).toHaveAttribute('spellcheck', 'false');
    expect(input.required).toBe(true);
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).not.toHaveAttribute('aria-describedby');
    const select = screen.getByLabelText('Đơn vị') as HTMLSelectElement;
    expect(select).toHaveAttribute('name', 'unit_id');

    expect(select.selectedOptions[0].textContent).toBe('Thôn 7');

    await fireEvent.input(input, { target: { value: 'Nguyễn Văn A' } });
    expect(screen.getByTestId('values').textContent).toBe('Nguyễn Văn A|7');
  });

  it('mark the control invalid and point it at the hint and the error', () => {
    render(FieldsHarness, { props: { error: 'Bắt buộc', hint: 'Như trên giấy tờ' } });
    const input = screen.getByLabelText('Họ tên');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'f-name-hint f-name-error');
    const select = screen.getByLabelText('Đơn vị');
    expect(select).toHaveAttribute('aria-invalid', 'true');
    expect(select).toHaveAttribute('aria-describedby', 'f-unit-error');
  });
});
