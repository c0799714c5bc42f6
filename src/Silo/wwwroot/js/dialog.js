// Accessible confirmation dialogs on the native <dialog>: modal (the page behind is inert), focus kept inside,
// Escape closes, focus goes back to the control that opened it.

import { h } from './dom.js';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
let counter = 0;

/**
 * Opens a dialog and resolves when it closes: with the confirm handler's result, or null when dismissed.
 * onConfirm(formData) may throw; its message is then shown in the dialog, which stays open.
 */
export function confirmDialog({ title, body = [], confirmLabel, dismissLabel = 'Back', danger = true, onConfirm, focus }) {
  const opener = document.activeElement;
  const openerId = opener?.id;
  const id = `dialog-${++counter}`;
  const error = h('p.dialog-error', { role: 'alert', hidden: true });
  const confirm = h(`button.button${danger ? '.danger' : '.primary'}`, { type: 'submit', 'data-role': 'confirm' }, confirmLabel);
  const dismiss = h('button.button', { type: 'button', 'data-role': 'dismiss' }, dismissLabel);
  const form = h('form.dialog-form', { novalidate: false },
    h('h2', { id: `${id}-title` }, title),
    h('div.dialog-body', { id: `${id}-body` }, body),
    error,
    h('div.dialog-actions', dismiss, confirm));
  const dialog = h('dialog.dialog', { 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-body` }, form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let result = null;
    let busy = false;
    const close = () => {
      if (dialog.open) {
        dialog.close();
      }
    };
    dismiss.addEventListener('click', close);
    dialog.addEventListener('cancel', (event) => {
      if (busy) {
        event.preventDefault();
      }
    });
    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') {
        return;
      }
      const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => !el.closest('[hidden]'));
      if (items.length === 0) {
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      // The view may have re-rendered while the dialog was open: find the opener again by its id.
      const target = opener?.isConnected ? opener : (openerId ? document.getElementById(openerId) : null);
      (target ?? document.querySelector('main h1'))?.focus?.();
      resolve(result);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy || !form.reportValidity()) {
        return;
      }
      busy = true;
      confirm.disabled = true;
      dismiss.disabled = true;
      confirm.setAttribute('aria-busy', 'true');
      error.hidden = true;
      try {
        result = (await onConfirm(new FormData(form))) ?? true;
        busy = false;
        close();
      } catch (failure) {
        busy = false;
        error.textContent = failure?.message ?? String(failure);
        error.hidden = false;
        confirm.disabled = false;
        dismiss.disabled = false;
        confirm.removeAttribute('aria-busy');
        confirm.focus();
      }
    });
    dialog.showModal();
    const target = (focus && dialog.querySelector(focus)) || dialog.querySelector('input, textarea, select') || dismiss;
    target.focus();
  });
}
