import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import FieldsHarness from './FieldsHarness.svelte';
import DecimalHarness from './DecimalHarness.svelte';
import { decimalText, parseDecimal } from '../lib/format';

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

describe('decimals as people type them', () => {
  it('reads a comma or a point, and nothing else', () => {
    expect(parseDecimal('1,5')).toBe(1.5);
    expect(parseDecimal(' 1.5 ')).toBe(1.5);
    expect(parseDecimal('2')).toBe(2);
    expect(parseDecimal(',25')).toBe(0.25);
    expect(parseDecimal('-0,5')).toBe(-0.5);
    expect(parseDecimal('')).toBeNull();
    for (const bad of ['1,5,0', '1.000,5', 'abc', '1 5', '1e3', '--1']) expect(parseDecimal(bad), bad).toBeNaN();
    expect(decimalText(1.5, 'vi')).toBe('1,5');
    expect(decimalText(1.5, 'en')).toBe('1.5');
    expect(decimalText(20, 'vi')).toBe('20');
  });

  it('binds the number, not the text: "1,5" is 1.5, not 15', async () => {
    render(DecimalHarness);
    const input = screen.getByLabelText('Trọng số') as HTMLInputElement;
    expect(input.type).toBe('text');
    expect(input).toHaveAttribute('inputmode', 'decimal');
    expect(input.value).toBe('1,5');
    await fireEvent.input(input, { target: { value: '4,5' } });
    expect(screen.getByTestId('value').textContent).toBe('4.5');
    expect(input.value).toBe('4,5');
    await fireEvent.input(input, { target: { value: '4,' } });
    expect(screen.getByTestId('value').textContent).toBe('4');
    // What is being typed stays as typed.
    expect(input.value).toBe('4,');
    await fireEvent.input(input, { target: { value: 'bốn' } });
    expect(screen.getByTestId('value').textContent).toBe('NaN');
    await fireEvent.input(input, { target: { value: '' } });
    expect(screen.getByTestId('value').textContent).toBe('null');
    await fireEvent.click(screen.getByText('Đặt'));
    expect(input.value).toBe('2,25');
  });
});
