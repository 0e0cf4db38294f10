// The script of the reset and verification pages. It takes the token from the address, removes it from the
// address bar (and so from history, bookmarks and screenshots) and sends it only when the user submits the form:
// opening the link never consumes the token.
'use strict';

(function () {
  const outcome = document.getElementById('outcome');
  const resetForm = document.getElementById('reset-form');
  const form = resetForm || document.getElementById('verify-form');
  const token = new URLSearchParams(window.location.search).get('token');
  if (window.location.search || window.location.hash) {
    window.history.replaceState(null, '', window.location.pathname);
  }

  const expired = resetForm
    ? 'This link has expired or was already used. Ask for a new one with "Forgot password?" on the login page.'
    : 'This link has expired or was already used. Ask for a new verification email from your account page.';

  function say(text, kind) {
    outcome.className = kind || '';
    outcome.textContent = text;
  }

  function finish(text, kind) {
    form.hidden = true;
    say(text, kind);
    outcome.tabIndex = -1;
    outcome.focus();
  }

  async function send() {
    const path = resetForm ? '/password-reset/confirm' : '/email-verification/confirm';
    const body = resetForm ? { token, newPassword: form.elements.newPassword.value } : { token };
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    let problem = {};
    if ((response.headers.get('Content-Type') || '').includes('json')) {
      problem = await response.json().catch(() => ({}));
    }
    return { status: response.status, problem };
  }

  function show({ status, problem }) {
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    if (status === 204) {
      finish(resetForm ? 'Your password has been changed. You can now log in with your new password.'
        : 'Your email address is verified. You can close this page.', 'done');
    } else if (status === 400 && resetForm && errors.length > 0) {
      say(errors.map((e) => e.message).join(' ') + ' Choose another password: this link still works.', 'error');
      form.elements.newPassword.focus();
    } else if (status === 400) {
      finish(expired, 'error');
    } else if (status === 429 || status === 503) {
      say((problem.detail || 'The service is busy.') + ' Try again in a moment.', 'error');
    } else {
      say('Something went wrong on our side. Try again later.', 'error');
    }
  }

  if (!token) {
    say('This link has no token. Open the link from your email again, or ask for a new email.', 'error');
    return;
  }
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    say('Sending…');
    try {
      show(await send());
    } catch (e) {
      say('The service could not be reached. Check your connection and try again.', 'error');
    } finally {
      button.disabled = false;
    }
  });
}());
