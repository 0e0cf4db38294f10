// The script of the passkey page (GET /passkeys). It calls the same JSON routes a shop's front end calls: sign in
// with a password (and a second factor when the account asks for one), list, add and delete passkeys, sign out, and
// sign in with a passkey. The browser turns the server's options into WebAuthn calls with
// PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON, and the credential back into JSON
// with credential.toJSON(). Tokens live in this closure only (no storage, no cookie): closing the page forgets them.
'use strict';

(function () {
  const byId = (id) => document.getElementById(id);
  const signedOut = byId('signed-out');
  const signedIn = byId('signed-in');
  const passwordForm = byId('password-form');
  const secondFactorForm = byId('second-factor-form');
  const addPasskeyForm = byId('add-passkey-form');
  const passkeyList = byId('passkey-list');
  const outcome = byId('outcome');

  let session = null; // { accessToken, refreshToken } of the signed-in visitor
  let mfaToken = null; // between a right password and the second factor

  const passkeysWork = Boolean(window.PublicKeyCredential
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
    && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function');

  class Problem extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function say(text, kind) {
    outcome.className = kind || '';
    outcome.textContent = text;
  }

  async function send(method, path, body, bearer) {
    const headers = {};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (bearer) {
      headers.Authorization = `Bearer ${bearer}`;
    }
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
      });
    } catch (e) {
      throw new Problem(0, 'The service could not be reached. Check your connection and try again.');
    }
    let json = {};
    if ((response.headers.get('Content-Type') || '').includes('json')) {
      json = (await response.json().catch(() => null)) || {};
    }
    if (!response.ok) {
      // RFC 9457 problem details: the field errors of a 400, else the detail, else the title.
      const errors = Array.isArray(json.errors) ? json.errors.map((e) => e.message).filter(Boolean) : [];
      const text = errors.length > 0 ? errors.join(' ') : json.detail || json.title;
      throw new Problem(response.status, text || `The service answered ${response.status}. Try again later.`);
    }
    return json;
  }

  // A signed-in call; an expired access token is renewed once with the refresh token.
  async function sendSignedIn(method, path, body) {
    try {
      return await send(method, path, body, session.accessToken);
    } catch (e) {
      if (e.status !== 401) {
        throw e;
      }
      try {
        keep(await send('POST', '/token/refresh', { refreshToken: session.refreshToken }));
      } catch (refreshFailed) {
        forget();
        throw new Problem(401, 'Your session has ended. Sign in again.');
      }
      return send(method, path, body, session.accessToken);
    }
  }

  function keep(tokens) {
    session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  function forget() {
    session = null;
    mfaToken = null;
    showSignedOut();
  }

  function showSignedOut() {
    signedIn.hidden = true;
    signedOut.hidden = false;
    secondFactorForm.hidden = true;
    secondFactorForm.reset();
    passwordForm.elements.password.value = '';
  }

  function formatDate(value) {
    return value ? new Date(value).toLocaleString() : 'never';
  }

  function showPasskeys(passkeys) {
    passkeyList.replaceChildren(...passkeys.map((passkey) => {
      const item = document.createElement('li');
      item.dataset.passkeyId = passkey.passkeyId;
      const name = document.createElement('strong');
      name.textContent = passkey.nickname;
      const details = document.createElement('span');
      details.className = 'hint';
      details.textContent = `Added ${formatDate(passkey.createdAt)}, last used ${formatDate(passkey.lastUsedAt)}`
        + (passkey.backedUp ? ', synced to your other devices' : '');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'secondary';
      remove.textContent = 'Delete';
      remove.setAttribute('aria-label', `Delete passkey ${passkey.nickname}`);
      remove.addEventListener('click', () => busy(remove, () => deletePasskey(passkey)));
      item.append(name, details, remove);
      return item;
    }));
    byId('no-passkeys').hidden = passkeys.length > 0;
  }

  async function showAccount() {
    const me = await sendSignedIn('GET', '/me');
    byId('account-email').textContent = me.email;
    byId('account-name').textContent = me.name ? ` (${me.name})` : '';
    showPasskeys((await sendSignedIn('GET', '/me/passkeys')).passkeys || []);
    signedOut.hidden = true;
    signedIn.hidden = false;
  }

  async function start(tokens) {
    keep(tokens);
    mfaToken = null;
    passwordForm.reset();
    secondFactorForm.reset();
    await showAccount();
    say('You are signed in.', 'done');
  }

  async function signInWithPassword() {
    const answer = await send('POST', '/login', {
      email: passwordForm.elements.email.value.trim(),
      password: passwordForm.elements.password.value,
    });
    if (answer.mfaRequired) {
      mfaToken = answer.mfaToken;
      secondFactorForm.hidden = false;
      say('Password accepted. Enter your code to finish signing in.');
      secondFactorForm.elements.secondFactor.focus();
      return;
    }
    await start(answer);
  }

  async function signInWithSecondFactor() {
    const value = secondFactorForm.elements.secondFactor.value.trim();
    const body = /^[0-9]{6}$/.test(value) ? { mfaToken, code: value } : { mfaToken, recoveryCode: value };
    try {
      await start(await send('POST', '/login/mfa', body));
    } catch (e) {
      secondFactorForm.elements.secondFactor.select();
      // Five wrong codes end the sign-in: then only the password starts a new one.
      throw e.status === 401 ? new Problem(401, `${e.message} If this keeps failing, sign in with your password again.`) : e;
    }
  }

  function passkeyTrouble(e) {
    if (e.name === 'NotAllowedError') {
      return 'The passkey request was cancelled or timed out.';
    }
    if (e.name === 'InvalidStateError') {
      return 'This device already holds a passkey for this account.';
    }
    if (e.name === 'SecurityError') {
      return 'This page\'s address does not match the site the service\'s passkeys belong to.';
    }
    return `Your device could not use a passkey: ${e.message}`;
  }

  async function withPasskey(ceremony) {
    if (!passkeysWork) {
      throw new Problem(0, 'This browser cannot use passkeys on this page. Use a current browser.');
    }
    try {
      return await ceremony();
    } catch (e) {
      throw e instanceof Problem ? e : new Problem(0, passkeyTrouble(e));
    }
  }

  async function signInWithPasskey() {
    const credential = await withPasskey(async () => {
      const options = await send('POST', '/passkeys/authentication-options', {});
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
      return navigator.credentials.get({ publicKey });
    });
    await start(await send('POST', '/passkeys/login', { credential: credential.toJSON() }));
  }

  async function addPasskey() {
    const nickname = addPasskeyForm.elements.nickname.value.trim();
    const credential = await withPasskey(async () => {
      const options = await sendSignedIn('POST', '/me/passkeys/registration-options', {});
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
      return navigator.credentials.create({ publicKey });
    });
    const added = await sendSignedIn('POST', '/me/passkeys', { credential: credential.toJSON(), nickname });
    addPasskeyForm.reset();
    await showAccount();
    say(`Passkey "${added.nickname}" added. You can now sign in with it.`, 'done');
  }

  async function deletePasskey(passkey) {
    await sendSignedIn('DELETE', `/me/passkeys/${encodeURIComponent(passkey.passkeyId)}`);
    await showAccount();
    say(`Passkey "${passkey.nickname}" deleted.`, 'done');
  }

  async function signOut() {
    const { refreshToken } = session;
    forget();
    await send('POST', '/logout', { refreshToken });
    say('You are signed out.', 'done');
  }

  // Runs one action with its button disabled, and shows what went wrong, if anything.
  async function busy(button, action) {
    button.disabled = true;
    say('Working…');
    try {
      await action();
    } catch (e) {
      say(e instanceof Problem ? e.message : 'Something went wrong on this page. Reload it and try again.', 'error');
    } finally {
      button.disabled = false;
    }
  }

  function onSubmit(form, action) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(form.querySelector('button[type="submit"]'), action);
    });
  }

  onSubmit(passwordForm, signInWithPassword);
  onSubmit(secondFactorForm, signInWithSecondFactor);
  onSubmit(addPasskeyForm, addPasskey);
  byId('passkey-sign-in').addEventListener('click', (event) => busy(event.currentTarget, signInWithPasskey));
  byId('sign-out').addEventListener('click', (event) => busy(event.currentTarget, signOut));
  showSignedOut();
  if (!passkeysWork) {
    say('This browser cannot use passkeys here; you can still sign in with your password.', 'error');
  }
}());
