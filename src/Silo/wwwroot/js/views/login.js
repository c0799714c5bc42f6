import { ApiError } from '../api.js';
import { h } from '../dom.js';

export function mountLogin(main, { notice, login }) {
  const error = h('p.form-error', { role: 'alert', id: 'login-error', hidden: true });
  const input = h('input', {
    id: 'api-key', name: 'apiKey', type: 'password', required: true, autocomplete: 'current-password',
    spellcheck: 'false', 'aria-describedby': 'api-key-help login-error',
  });
  const submit = h('button.button.primary', { type: 'submit' }, 'Log in');
  const form = h('form.login-form', { 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title', tabindex: -1 }, 'Ripcord'),
    h('p.lead', 'Watch and steer live cases.'),
    notice ? h('p.notice', { role: 'status' }, notice) : null,
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p.help', { id: 'api-key-help' }, 'Kept in this browser tab until you close it or log out. ',
      'An admin\'s key is also kept in a cookie sent only to the Orleans dashboard (/orleans/), until you log out or close the browser.'),
    error,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      await login(key);
    } catch (failure) {
      error.textContent = failure instanceof ApiError && failure.status === 401
        ? 'The server does not know this API key.'
        : `Could not log in: ${failure.message}`;
      error.hidden = false;
      submit.disabled = false;
      input.focus();
      input.select();
    }
  });
  main.append(h('div.login', form));
  input.focus();
  return null;
}
