import { describedBy } from '../a11y';

/** What <Field> shows around its control: the label, the hint and the error. */
export interface FieldProps {
  /** The control's id; the hint and the error paragraphs are `{id}-hint` and `{id}-error`. */
  id: string;
  label: string;
  error?: string;
  hint?: string;
  optional?: boolean;
}

/**
 * The attributes of the one control inside a field (InputField, SelectField, TextareaField), from
 * the field's props: the control's own attributes as given (the label and `optional` are the
 * field's alone), the field's `id`, and the aria-invalid and aria-describedby that follow the
 * field's `error` and `hint`.
 */
export function controlAttributes<A extends FieldProps>({ id, label: _label, error = '', hint = '', optional: _optional, ...attributes }: A) {
  return {
    ...attributes,
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, error, hint),
  };
}
