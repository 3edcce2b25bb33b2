// HTML pages of the GitHub stand-in's "web" host. Plain forms, no scripts, no external resources.
//
// Every page the user must act on carries a hidden `prompt` input (value "login" on the sign-in
// page, "consent" on every page whose single submit button moves the flow on) and a `[ Cancel ]`
// link, the same markers as oidc-provider's devInteractions pages: tests/harness/browser.mjs drives
// both providers unchanged (--login NAME fills input[name=login]; --deny clicks "[ Cancel ]").

import { htmlEscape as h } from './http.mjs';

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${h(title)}</title></head>
<body>
${body}
</body></html>
`;
}

/** Sign-in page; posts login/password to /session, which sends the browser on to `returnTo`. */
export function loginPage({ returnTo, cancelUrl, login = '', error = '' }) {
  return page(
    'Sign in to GitHub',
    `<h1>Sign in to GitHub</h1>
${error ? `<p class="flash-error">${h(error)}</p>` : ''}
<form method="post" action="/session">
  <input type="hidden" name="prompt" value="login">
  <input type="hidden" name="return_to" value="${h(returnTo)}">
  <input type="hidden" name="cancel_to" value="${h(cancelUrl)}">
  <label>Username or email address <input type="text" name="login" value="${h(login)}" autofocus></label>
  <label>Password <input type="password" name="password"></label>
  <button type="submit">Sign in</button>
</form>
<p><a href="${h(cancelUrl)}">[ Cancel ]</a></p>`,
  );
}

/** "Authorize <app>" page of the web application flow. */
export function authorizePage({ app, login, scopes, authorizationId, cancelUrl }) {
  const list = scopes.length ? scopes.map((s) => `<li>${h(s)}</li>`).join('') : '<li>(no scope: public information only)</li>';
  return page(
    `Authorize ${app.name}`,
    `<h1>Authorize ${h(app.name)}</h1>
<p>${h(app.name)} by Latchkey wants to access your <strong>${h(login)}</strong> account.</p>
<ul class="scopes">${list}</ul>
<form method="post" action="/login/oauth/authorize">
  <input type="hidden" name="prompt" value="consent">
  <input type="hidden" name="authorization" value="${h(authorizationId)}">
  <button type="submit" name="authorize" value="1">Authorize</button>
</form>
<p><a href="${h(cancelUrl)}">[ Cancel ]</a></p>`,
  );
}

/** "Device activation": the user types the code shown by the device. */
export function deviceCodePage({ userCode = '', error = '', cancelUrl }) {
  return page(
    'Device Activation',
    `<h1>Device Activation</h1>
${error ? `<p class="flash-error">${h(error)}</p>` : ''}
<p>Enter the code displayed on your device</p>
<form method="post" action="/login/device">
  <input type="hidden" name="prompt" value="consent">
  <input type="text" name="user_code" value="${h(userCode)}" maxlength="9" autocomplete="off">
  <button type="submit">Continue</button>
</form>
<p><a href="${h(cancelUrl)}">[ Cancel ]</a></p>`,
  );
}

/** Authorize page of the device flow. */
export function deviceAuthorizePage({ app, login, scopes, userCode, cancelUrl }) {
  const list = scopes.length ? scopes.map((s) => `<li>${h(s)}</li>`).join('') : '<li>(no scope: public information only)</li>';
  return page(
    `Authorize ${app.name}`,
    `<h1>Authorize ${h(app.name)}</h1>
<p>A device wants to access your <strong>${h(login)}</strong> account as ${h(app.name)}.</p>
<ul class="scopes">${list}</ul>
<form method="post" action="/login/device/authorize">
  <input type="hidden" name="prompt" value="consent">
  <input type="hidden" name="user_code" value="${h(userCode)}">
  <button type="submit" name="authorize" value="1">Authorize ${h(app.name)}</button>
</form>
<p><a href="${h(cancelUrl)}">[ Cancel ]</a></p>`,
  );
}

/** A final page without any flow marker (the browser driver stops on it). */
export function messagePage(heading, text) {
  return page(heading, `<h1>${h(heading)}</h1>\n<p>${h(text)}</p>`);
}
