import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import FieldsHarness from './FieldsHarness.svelte';

describe('InputField, SelectField and TextareaField', () => {
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
    expect(select.required).toBe(true);
    expect(select).not.toHaveAttribute('aria-invalid');
    const note = screen.getByLabelText(/Ghi chú/) as HTMLTextAreaElement;
    expect(note.id).toBe('f-note');
    expect(note).toHaveAttribute('rows', '3');
    expect(note).toHaveAttribute('placeholder', '…');
    expect(note).not.toHaveAttribute('aria-invalid');
    expect(note).not.toHaveAttribute('aria-describedby');

    expect(select.selectedOptions[0].textContent).toBe('Thôn 7');

    await fireEvent.input(input, { target: { value: 'Nguyễn Văn A' } });
    await fireEvent.input(screen.getByLabelText('Số người'), { target: { value: '12' } });
    await fireEvent.input(note, { target: { value: 'Họp tối' } });
    expect(screen.getByTestId('values').textContent).toBe('Nguyễn Văn A|7|12|Họp tối');
  });

  it('mark the control invalid and point it at the hint and the error', () => {
    render(FieldsHarness, { props: { error: 'Bắt buộc', hint: 'Như trên giấy tờ' } });
    const input = screen.getByLabelText('Họ tên');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'f-name-hint f-name-error');
    const select = screen.getByLabelText('Đơn vị');
    expect(select).toHaveAttribute('aria-invalid', 'true');
    expect(select).toHaveAttribute('aria-describedby', 'f-unit-error');
    const note = screen.getByLabelText(/Ghi chú/);
    expect(note).toHaveAttribute('aria-invalid', 'true');
    expect(note).toHaveAttribute('aria-describedby', 'f-note-hint f-note-error');
    expect(document.getElementById('f-note-error')).toHaveAttribute('role', 'alert');
  });

  it('follow an error that comes later (the server answer) and goes again', async () => {
    const { rerender } = render(FieldsHarness);
    const input = screen.getByLabelText('Họ tên');
    expect(input).not.toHaveAttribute('aria-invalid');
    await rerender({ error: 'Đã có người dùng tên này' });
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'f-name-error');
    expect(input.closest('.field')).toHaveClass('invalid');
    await rerender({ error: '' });
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).not.toHaveAttribute('aria-describedby');
  });
});
