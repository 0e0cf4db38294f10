// The script of the pages the emails link to (reset, verification, email change). It takes the token from the
// address, removes it from the address bar (and so from history, bookmarks and screenshots) and sends it only when
// the user submits the form: opening the link never consumes the token.
'use strict';

(function () {
  const pages = {
    'reset-form': {
      path: '/password-reset/confirm',
      body: (form, token) => ({ token, newPassword: form.elements.newPassword.value }),
      done: 'Your password has been changed. You can now log in with your new password.',
      expired: 'This link has expired or was already used. Ask for a new one with "Forgot password?" on the login page.',
    },
    'verify-form': {
      path: '/email-verification/confirm',
      body: (form, token) => ({ token }),
      done: 'Your email address is verified. You can close this page.',
      expired: 'This link has expired or was already used. Ask for a new verification email from your account page.',
    },
    'email-change-form': {
      path: '/email-change/confirm',
      body: (form, token) => ({ token }),
      done: 'Your email address has been changed. From now on, log in with this address.',
      expired: 'This link has expired or was already used. Ask for the change again from your account page.',
      conflict: 'Another account has registered this email address meanwhile, so it cannot become yours. '
        + 'Ask for the change again with another address from your account page.',
    },
  };

  const outcome = document.getElementById('outcome');
  const formId = Object.keys(pages).find((id) => document.getElementById(id));
  const form = document.getElementById(formId);
  const page = pages[formId];
  const resetForm = formId === 'reset-form';
  const token = new URLSearchParams(window.location.search).get('token');
  if (window.location.search || window.location.hash) {
    window.history.replaceState(null, '', window.location.pathname);
  }

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
    const response = await fetch(page.path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(page.body(form, token)),
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
      finish(page.done, 'done');
    } else if (status === 400 && resetForm && errors.length > 0) {
      say(errors.map((e) => e.message).join(' ') + ' Choose another password: this link still works.', 'error');
      form.elements.newPassword.focus();
    } else if (status === 400) {
      finish(page.expired, 'error');
    } else if (status === 409 && page.conflict) {
      finish(page.conflict, 'error');
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
