import { useEffect, useState } from 'react';
import { ApiError } from '../api.ts';

/**
 * Form error state fed by API errors: the server's per-field issues land on the form's fields
 * (named by the same dotted paths, e.g. "user.email"), and anything that has no field on the
 * form becomes the form-level message, so no problem goes unshown.
 */
export function useFormErrors(formFields: readonly string[] | ((field: string) => boolean)) {
  const onForm = (field: string) => (typeof formFields === 'function' ? formFields(field) : formFields.includes(field));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  // Counts rejections, so the effect below runs once per rejection and not while the user fixes fields.
  const [rejections, setRejections] = useState(0);

  // Bring the first field the server rejected into view: on a long form it may be off-screen.
  useEffect(() => {
    if (rejections === 0) return;
    const first = document.querySelector<HTMLElement>('[data-invalid="true"], [aria-invalid="true"]');
    first?.scrollIntoView({ block: 'center' });
    first?.focus({ preventScroll: true });
  }, [rejections]);

  return {
    fields,
    message,
    clear() {
      setFields({});
      setMessage(null);
    },
    /** Forget one field's error as soon as the user edits it. */
    clearField(name: string) {
      setFields((f) => {
        if (!(name in f)) return f;
        const rest = { ...f };
        delete rest[name];
        return rest;
      });
    },
    show(err: unknown) {
      if (!(err instanceof ApiError)) {
        setFields({});
        setMessage(err instanceof Error ? err.message : String(err));
        return;
      }
      const all = err.fieldErrors();
      const mine = Object.fromEntries(Object.entries(all).filter(([f]) => onForm(f)));
      const elsewhere = Object.entries(all).filter(([f]) => !onForm(f));
      setFields(mine);
      if (Object.keys(mine).length > 0) setRejections((n) => n + 1);
      if (elsewhere.length > 0) setMessage(elsewhere.map(([f, m]) => `${f}: ${m}`).join(' · '));
      else setMessage(Object.keys(mine).length > 0 ? 'Please correct the highlighted fields.' : err.message);
    },
  };
}
export type FormErrors = ReturnType<typeof useFormErrors>;
