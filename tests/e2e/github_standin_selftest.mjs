// Self-test of the GitHub stand-in (tests/harness/github/standin.mjs): drives its protocol over
// plain HTTP the way a client of github.com would, and asserts what GitHub documents. Run inside the
// harness:
//
//   tests/harness/with-services node tests/e2e/github_standin_selftest.mjs <case>
//
// Cases:
//   web      authorize -> sign in -> Authorize -> code -> token in form AND JSON encodings; a reused
//            code, a wrong PKCE verifier, a wrong secret, a redirect_uri mismatch (authorize and token),
//            Cancel -> access_denied; a second authorization skips the Authorize page
//   api      /user and /user/emails for the account kinds (unverified-, private-, noemail-), scopes and
//            their headers, missing User-Agent -> 403, bad token -> 401, revocation, unverified_user_email
//   device   (a private stand-in with 1-second knobs) pending -> slow_down -> approve on the device
//            page -> token; cancel -> access_denied; expiry; the device errors; authorization-code expiry
//   browser  tests/harness/browser.mjs (--login, --deny) completes the web flow and the device page
//
// Exit status 0 when every assertion holds; 1 with a message naming the broken expectation otherwise.
// Never prints codes or tokens.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const kStandin = join(dirname(fileURLToPath(import.meta.url)), '..', 'harness', 'github', 'standin.mjs');
const kClientId = 'Ov23liLatchkeyTest01';
const kSecret = 'c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa01';
const kNoDeviceClientId = 'Ov23liLatchkeyNoDev1';
const kDeviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
const kTimeoutMs = 60000;

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function env(name) {
  const value = process.env[name];
  check(value, `${name} is not set: run this inside tests/harness/with-services`);
  return value;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One HTTP request; `headers['User-Agent'] = null` sends none. Resolves {status, headers, body}. */
function request(method, url, { headers = {}, form, json, cookie } = {}) {
  const all = { 'User-Agent': 'latchkey-selftest/1', ...headers };
  if (all['User-Agent'] === null) delete all['User-Agent'];
  let body;
  if (form) {
    body = new URLSearchParams(form).toString();
    all['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (json) {
    body = JSON.stringify(json);
    all['Content-Type'] = 'application/json';
  }
  if (cookie) all.Cookie = cookie;
  // Node sends a DELETE body without Content-Length (and without chunking) unless told its length.
  if (body !== undefined) all['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: all, timeout: kTimeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${new URL(url).pathname} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function b64url(buffer) {
  return buffer.toString('base64url');
}

function pkcePair() {
  const verifier = b64url(randomBytes(48)); // RFC 7636 §4.1: 43..128 unreserved characters
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

function uniqueLogin(prefix) {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

function hiddenValue(html, name) {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match ? match[1] : undefined;
}

/** A GitHub stand-in endpoint pair plus a signed-in browser session. */
class Client {
  constructor(web, api) {
    this.web = web;
    this.api = api;
    this.cookie = '';
  }

  async signIn(login, returnTo, cancelTo = '/') {
    const res = await request('POST', `${this.web}/session`, { form: { login, password: 'pw', return_to: returnTo, cancel_to: cancelTo } });
    check(res.status === 302 && res.headers.location === returnTo, `POST /session answered ${res.status} -> ${res.headers.location}`);
    this.cookie = String(res.headers['set-cookie']).split(';')[0];
    return res;
  }

  authorizeUrl(params) {
    return `${this.web}/login/oauth/authorize?${new URLSearchParams(params)}`;
  }

  /** GET authorize (signing in as `login` if needed, pressing Authorize if shown); returns the redirect. */
  async authorize(params, login, { expectConsent = true } = {}) {
    let res = await request('GET', this.authorizeUrl(params), { cookie: this.cookie });
    if (res.status === 200 && hiddenValue(res.body, 'prompt') === 'login') {
      await this.signIn(login, hiddenValue(res.body, 'return_to'));
      res = await request('GET', `${this.web}${hiddenValue(res.body, 'return_to').replace(/&amp;/g, '&')}`, { cookie: this.cookie });
    }
    if (expectConsent) {
      check(res.status === 200 && hiddenValue(res.body, 'prompt') === 'consent', `expected the Authorize page, got ${res.status}`);
      res = await request('POST', `${this.web}/login/oauth/authorize`, {
        form: { authorization: hiddenValue(res.body, 'authorization'), authorize: '1' },
        cookie: this.cookie,
      });
    }
    check(res.status === 302, `authorization ended with ${res.status}, expected a 302 redirect`);
    return new URL(res.headers.location);
  }

  token(form, accept) {
    return request('POST', `${this.web}/login/oauth/access_token`, { form, headers: accept ? { Accept: accept } : {} });
  }

  apiGet(path, token, scheme = 'Bearer', headers = {}) {
    return request('GET', `${this.api}${path}`, { headers: { Authorization: `${scheme} ${token}`, Accept: 'application/vnd.github+json', ...headers } });
  }
}

function parseForm(res) {
  check(res.headers['content-type']?.startsWith('application/x-www-form-urlencoded'), `form answer has Content-Type ${res.headers['content-type']}`);
  return Object.fromEntries(new URLSearchParams(res.body));
}

function parseJson(res) {
  check(res.headers['content-type'] === 'application/json; charset=utf-8', `JSON answer has Content-Type ${res.headers['content-type']}`);
  return JSON.parse(res.body);
}

function expectOAuthError(res, fields, error, what) {
  check(res.status === 200, `${what}: HTTP ${res.status}, GitHub answers OAuth errors with 200`);
  check(fields.error === error, `${what}: error ${fields.error}, expected ${error}`);
  check(fields.error_description && /^https:\/\/docs\.github\.com\//.test(fields.error_uri ?? ''), `${what}: error_description/error_uri missing`);
  check(!('access_token' in fields), `${what}: an access_token came with the error`);
}

// ------------------------------------------------------------------------------------------------

async function webFlow(client, login, redirectUri, scope, extra = {}) {
  const { verifier, challenge } = pkcePair();
  const state = b64url(randomBytes(12));
  const params = { client_id: kClientId, redirect_uri: redirectUri, scope, state, code_challenge: challenge, code_challenge_method: 'S256', ...extra };
  const location = await client.authorize(params, login, extra.expect);
  check(location.searchParams.get('state') === state, 'state in the redirect differs from the request');
  check(`${location.origin}${location.pathname}` === redirectUri, `redirected to ${location.origin}${location.pathname}, expected ${redirectUri}`);
  const code = location.searchParams.get('code');
  check(code && !location.searchParams.has('error'), `no code in the redirect (error ${location.searchParams.get('error')})`);
  return { code, verifier, form: { client_id: kClientId, client_secret: kSecret, code, redirect_uri: redirectUri, code_verifier: verifier } };
}

async function caseWeb() {
  const client = new Client(env('LATCHKEY_TEST_GITHUB_URL'), env('LATCHKEY_TEST_GITHUB_API_URL'));
  const login = uniqueLogin('web');
  // A loopback redirect on any port, in a subdirectory of the registered http://127.0.0.1/callback.
  const redirectUri = 'http://127.0.0.1:45678/callback/github';

  // Form encoding by default ("access_token=...&scope=repo%2Cgist&token_type=bearer").
  const first = await webFlow(client, login, redirectUri, 'read:user user:email');
  const form = parseForm(await client.token(first.form));
  check(/^gho_[A-Za-z0-9]{36}$/.test(form.access_token ?? ''), 'form answer has no gho_ access_token');
  check(form.scope === 'read:user,user:email' && form.token_type === 'bearer', `form answer scope=${form.scope} token_type=${form.token_type}`);

  // Codes are single-use.
  const reused = await client.token(first.form, 'application/json');
  expectOAuthError(reused, parseJson(reused), 'bad_verification_code', 'reused code');

  // Already authorized with these scopes: no Authorize page this time; JSON encoding; the scope list
  // is normalized ("user" includes user:email and read:user).
  const second = await webFlow(client, login, redirectUri, 'read:user user:email', { expect: { expectConsent: false } });
  const json = parseJson(await client.token(second.form, 'application/json'));
  check(/^gho_/.test(json.access_token ?? '') && json.scope === 'read:user,user:email' && json.token_type === 'bearer', 'JSON token answer is wrong');
  const widened = await webFlow(client, login, redirectUri, 'user user:email gist');
  const xml = await client.token(widened.form, 'application/xml');
  check(xml.headers['content-type'].startsWith('application/xml') && /<scope>user,gist<\/scope>/.test(xml.body) && /<token_type>bearer<\/token_type>/.test(xml.body),
    'XML token answer is wrong (expected scope user,gist)');

  // PKCE: a wrong verifier is refused (in a 200), and the code is spent by the attempt.
  const third = await webFlow(client, login, redirectUri, 'read:user');
  const wrong = await client.token({ ...third.form, code_verifier: pkcePair().verifier }, 'application/json');
  expectOAuthError(wrong, parseJson(wrong), 'invalid_grant', 'wrong code_verifier');
  const missing = await webFlow(client, login, redirectUri, 'read:user');
  const { code_verifier: _unused, ...withoutVerifier } = missing.form;
  const noVerifier = await client.token(withoutVerifier, 'application/json');
  expectOAuthError(noVerifier, parseJson(noVerifier), 'invalid_grant', 'missing code_verifier');
  const afterWrong = await client.token(third.form, 'application/json');
  expectOAuthError(afterWrong, parseJson(afterWrong), 'bad_verification_code', 'code after a failed PKCE check');

  // Client credentials and redirect_uri are checked at the token endpoint.
  const fourth = await webFlow(client, login, redirectUri, 'read:user');
  const badSecret = await client.token({ ...fourth.form, client_secret: 'wrong' });
  expectOAuthError(badSecret, parseForm(badSecret), 'incorrect_client_credentials', 'wrong client_secret');
  const otherRedirect = await client.token({ ...fourth.form, redirect_uri: 'http://127.0.0.1:45678/callback/cli' }, 'application/json');
  expectOAuthError(otherRedirect, parseJson(otherRedirect), 'redirect_uri_mismatch', 'token redirect_uri differs');

  // Authorize: redirect_uri outside the callback URL -> redirect to the registered callback.
  for (const bad of ['http://127.0.0.1:45678/elsewhere', 'http://localhost:45678/callback/github', 'https://127.0.0.1:45678/callback/github']) {
    const res = await request('GET', client.authorizeUrl({ client_id: kClientId, redirect_uri: bad, state: 'st' }), { cookie: client.cookie });
    const to = new URL(res.headers.location ?? 'http://invalid/');
    check(res.status === 302 && `${to.origin}${to.pathname}` === 'http://127.0.0.1/callback', `redirect_uri ${bad}: ${res.status} to ${to.origin}${to.pathname}`);
    check(to.searchParams.get('error') === 'redirect_uri_mismatch' && to.searchParams.get('state') === 'st', `redirect_uri ${bad}: error ${to.searchParams.get('error')}`);
  }
  const unknown = await request('GET', client.authorizeUrl({ client_id: 'Ov23liNoSuchApp00000', redirect_uri: redirectUri }));
  check(unknown.status === 404 && !unknown.headers.location, `unknown client_id answered ${unknown.status}`);
  const plain = await request('GET', client.authorizeUrl({ client_id: kClientId, redirect_uri: redirectUri, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }));
  check(new URL(plain.headers.location ?? 'http://invalid/').searchParams.get('error') === 'invalid_request', 'code_challenge_method=plain was not refused');

  // Cancel on the Authorize page -> access_denied with description, error_uri and state.
  const fresh = new Client(client.web, client.api);
  const page = await request('GET', fresh.authorizeUrl({ client_id: kClientId, redirect_uri: redirectUri, scope: 'repo', state: 'deny-state' }));
  const cancel = /href="(\/login\/oauth\/cancel\?[^"]+)"/.exec(page.body);
  check(cancel, 'the sign-in page has no [ Cancel ] link');
  const denied = await request('GET', `${client.web}${cancel[1].replace(/&amp;/g, '&')}`);
  const to = new URL(denied.headers.location ?? 'http://invalid/');
  check(denied.status === 302 && `${to.origin}${to.pathname}` === redirectUri, `cancel redirected to ${to.origin}${to.pathname}`);
  check(to.searchParams.get('error') === 'access_denied' && to.searchParams.get('error_description') && to.searchParams.get('error_uri') && to.searchParams.get('state') === 'deny-state' && !to.searchParams.has('code'),
    `cancel redirect carries ${[...to.searchParams.keys()]}`);
}

// ------------------------------------------------------------------------------------------------

/** A token for `login`, signed in from a fresh browser session (a session belongs to one login). */
async function tokenFor(client, login, scope) {
  const flow = await webFlow(new Client(client.web, client.api), login, 'http://127.0.0.1:45679/callback/test', scope);
  const answer = parseJson(await client.token(flow.form, 'application/json'));
  return answer;
}

async function caseApi() {
  const client = new Client(env('LATCHKEY_TEST_GITHUB_URL'), env('LATCHKEY_TEST_GITHUB_API_URL'));
  const login = uniqueLogin('unverified-');
  const { access_token: token } = await tokenFor(client, login, 'user:email');
  check(token, 'no token for the unverified- account');

  const user = await client.apiGet('/user', token);
  check(user.status === 200, `/user answered ${user.status}`);
  const body = parseJson(user);
  check(Number.isInteger(body.id) && body.id > 0 && body.login === login, `/user id ${body.id} login ${body.login}`);
  check(body.name === login.charAt(0).toUpperCase() + login.slice(1) && body.email === null, `/user name ${body.name} email ${body.email}`);
  check(body.html_url === `${client.web}/${login}` && body.avatar_url && body.type === 'User', '/user html_url/avatar_url/type');
  check(user.headers['x-oauth-scopes'] === 'user:email' && 'x-accepted-oauth-scopes' in user.headers, `X-OAuth-Scopes is ${user.headers['x-oauth-scopes']}`);
  const again = parseJson(await client.apiGet('/user', token, 'token'));
  check(again.id === body.id, 'the "token" Authorization scheme gives another user, or the id is not stable');

  const emails = await client.apiGet('/user/emails', token);
  check(emails.status === 200, `/user/emails answered ${emails.status}`);
  const list = parseJson(emails);
  const primary = list.filter((e) => e.primary);
  check(primary.length === 1 && primary[0].verified === false && primary[0].email === `${login}@users.example.com`, 'unverified- primary is not an unverified <login>@users.example.com');
  check(list.some((e) => !e.primary && e.verified === true), 'unverified- has no verified non-primary address');
  check(list.every((e) => 'visibility' in e), 'an email entry lacks visibility');

  // Scope rules: read:user alone does not reach /user/emails (404, as github.com answers).
  const narrow = (await tokenFor(client, uniqueLogin('narrow'), 'read:user')).access_token;
  const hidden = await client.apiGet('/user/emails', narrow);
  check(hidden.status === 404 && parseJson(hidden).message === 'Not Found', `/user/emails without user:email answered ${hidden.status}`);
  const plainUser = parseJson(await client.apiGet('/user', narrow));
  check(typeof plainUser.email === 'string' && plainUser.email.endsWith('@users.example.com'), 'a plain account has no public email');

  const privateLogin = uniqueLogin('private-');
  const privateToken = (await tokenFor(client, privateLogin, 'user')).access_token;
  check(parseJson(await client.apiGet('/user', privateToken)).email === null, 'private- has a public email');
  const privateEmails = parseJson(await client.apiGet('/user/emails', privateToken));
  check(privateEmails.length === 1 && privateEmails[0].primary && privateEmails[0].verified, 'private- has no verified primary in /user/emails');
  const noEmailToken = (await tokenFor(client, uniqueLogin('noemail-'), 'user:email')).access_token;
  check(parseJson(await client.apiGet('/user/emails', noEmailToken)).length === 0, 'noemail- has addresses');

  // Documented: a user whose primary address is unverified can be refused a token.
  const refused = await webFlow(new Client(client.web, client.api), uniqueLogin('unverified-refused-'), 'http://127.0.0.1:45679/callback/test', 'user:email');
  const refusal = await client.token(refused.form, 'application/json');
  expectOAuthError(refusal, parseJson(refusal), 'unverified_user_email', 'unverified-refused- account');

  // User-Agent is required; bad and missing tokens.
  const noAgent = await client.apiGet('/user', token, 'Bearer', { 'User-Agent': null });
  check(noAgent.status === 403 && /User-Agent/.test(noAgent.body), `no User-Agent answered ${noAgent.status}`);
  const bad = await client.apiGet('/user', 'gho_doesnotexist');
  const badBody = parseJson(bad);
  check(bad.status === 401 && badBody.message === 'Bad credentials' && badBody.documentation_url, `bad token answered ${bad.status} ${badBody.message}`);
  const none = await request('GET', `${client.api}/user`);
  check(none.status === 401, `no token answered ${none.status}`);

  // Revocation: DELETE /applications/{client_id}/token with Basic client_id:client_secret.
  const basic = `Basic ${Buffer.from(`${kClientId}:${kSecret}`).toString('base64')}`;
  const wrongBasic = await request('DELETE', `${client.api}/applications/${kClientId}/token`, { headers: { Authorization: `Basic ${Buffer.from(`${kClientId}:nope`).toString('base64')}` }, json: { access_token: token } });
  check(wrongBasic.status === 404, `revocation with a wrong secret answered ${wrongBasic.status}`);
  const checked = await request('POST', `${client.api}/applications/${kClientId}/token`, { headers: { Authorization: basic }, json: { access_token: token } });
  check(checked.status === 200 && parseJson(checked).user.login === login, `check token answered ${checked.status}`);
  const revoked = await request('DELETE', `${client.api}/applications/${kClientId}/token`, { headers: { Authorization: basic }, json: { access_token: token } });
  check(revoked.status === 204, `revocation answered ${revoked.status}`);
  check((await client.apiGet('/user', token)).status === 401, 'a revoked token still works');
}

// ------------------------------------------------------------------------------------------------

/** A private stand-in with short knobs (the harness's instance keeps GitHub's defaults). */
async function startPrivateStandin(envKnobs) {
  const child = spawn(process.execPath, [kStandin], { env: { ...process.env, ...envKnobs }, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('private stand-in did not print its ready line')), 10000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /github-standin ready web=(\S+) api=(\S+) pid=(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.on('exit', (code) => reject(new Error(`private stand-in exited ${code}`)));
  });
  child.stdout.resume();
  check(Number(ready[3]) === child.pid, 'the ready line names another pid');
  return { child, client: new Client(ready[1], ready[2]) };
}

async function deviceStart(client, clientId = kClientId, accept = 'application/json') {
  return request('POST', `${client.web}/login/device/code`, { form: { client_id: clientId, scope: 'read:user user:email' }, headers: accept ? { Accept: accept } : {} });
}

async function poll(client, deviceCode, extra = {}) {
  const res = await client.token({ client_id: kClientId, device_code: deviceCode, grant_type: kDeviceGrant, ...extra }, 'application/json');
  return { res, body: parseJson(res) };
}

async function caseDevice() {
  const { child, client } = await startPrivateStandin({
    LATCHKEY_TEST_GITHUB_DEVICE_INTERVAL: '1',
    LATCHKEY_TEST_GITHUB_SLOW_DOWN_STEP: '1',
    LATCHKEY_TEST_GITHUB_DEVICE_TTL: '6',
    LATCHKEY_TEST_GITHUB_CODE_TTL: '1',
  });
  try {
    // Started first, checked last: a device code and an authorization code that will expire.
    const expiring = parseJson(await deviceStart(client));
    const expiringCode = await webFlow(new Client(client.web, client.api), uniqueLogin('exp'), 'http://127.0.0.1:45680/callback/test', 'read:user');
    const t0 = Date.now();

    // Default (form) encoding of the device code answer.
    const started = parseForm(await deviceStart(client, kClientId, null));
    check(/^[0-9a-f]{40}$/.test(started.device_code ?? ''), 'device_code is not 40 hex characters');
    check(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(started.user_code ?? ''), `user_code ${started.user_code} is not XXXX-XXXX`);
    check(started.verification_uri === `${client.web}/login/device` && started.expires_in === '6' && started.interval === '1', 'verification_uri/expires_in/interval are wrong');

    let { res, body } = await poll(client, started.device_code);
    expectOAuthError(res, body, 'authorization_pending', 'first poll');
    ({ res, body } = await poll(client, started.device_code));
    expectOAuthError(res, body, 'slow_down', 'immediate second poll');
    check(body.interval === 2, `slow_down carries interval ${body.interval}, expected 1 + step 1 = 2`);
    await sleep(2100);
    ({ res, body } = await poll(client, started.device_code));
    expectOAuthError(res, body, 'authorization_pending', 'poll after the new interval');

    // The user: /login/device -> sign in -> type the code -> Authorize.
    const login = uniqueLogin('dev');
    const signInPage = await request('GET', `${client.web}/login/device`);
    check(hiddenValue(signInPage.body, 'prompt') === 'login', '/login/device does not ask to sign in first');
    await client.signIn(login, '/login/device');
    const codePage = await request('GET', `${client.web}/login/device`, { cookie: client.cookie });
    check(/name="user_code"/.test(codePage.body), 'the device page has no user_code field');
    const typed = started.user_code.replace('-', '').toLowerCase(); // case and hyphen do not matter
    const authorizePage = await request('POST', `${client.web}/login/device`, { form: { user_code: typed }, cookie: client.cookie });
    check(authorizePage.status === 200 && /action="\/login\/device\/authorize"/.test(authorizePage.body), 'typing the code did not show the Authorize page');
    const done = await request('POST', `${client.web}/login/device/authorize`, { form: { user_code: started.user_code, authorize: '1' }, cookie: client.cookie });
    check(done.status === 200, `Authorize on the device page answered ${done.status}`);
    const wrongCode = await request('POST', `${client.web}/login/device`, { form: { user_code: 'BBBB-BBBB' }, cookie: client.cookie });
    check(!/action="\/login\/device\/authorize"/.test(wrongCode.body), 'an unknown user code reached the Authorize page');

    await sleep(2100);
    ({ res, body } = await poll(client, started.device_code));
    check(res.status === 200 && /^gho_/.test(body.access_token ?? '') && body.token_type === 'bearer' && body.scope === 'read:user,user:email', `approved poll gave ${body.error ?? 'a wrong token answer'}`);
    const me = parseJson(await client.apiGet('/user', body.access_token));
    check(me.login === login, `the device token belongs to ${me.login}`);
    ({ res, body } = await poll(client, started.device_code));
    expectOAuthError(res, body, 'incorrect_device_code', 'poll after the token was issued');

    // Cancel -> access_denied, and the code cannot be used again.
    const denied = parseJson(await deviceStart(client));
    await request('GET', `${client.web}/login/device/cancel?user_code=${denied.user_code}`, { cookie: client.cookie });
    ({ res, body } = await poll(client, denied.device_code));
    expectOAuthError(res, body, 'access_denied', 'poll after Cancel');
    const reuse = await request('POST', `${client.web}/login/device`, { form: { user_code: denied.user_code }, cookie: client.cookie });
    check(!/action="\/login\/device\/authorize"/.test(reuse.body), 'a cancelled user code reached the Authorize page');

    // The other documented device errors.
    ({ res, body } = await poll(client, denied.device_code, { grant_type: 'password' }));
    expectOAuthError(res, body, 'unsupported_grant_type', 'wrong grant_type');
    ({ res, body } = await poll(client, 'f'.repeat(40)));
    expectOAuthError(res, body, 'incorrect_device_code', 'unknown device_code');
    ({ res, body } = await poll(client, denied.device_code, { client_id: 'Ov23liNoSuchApp00000' }));
    expectOAuthError(res, body, 'incorrect_client_credentials', 'unknown client_id');
    const disabled = await deviceStart(client, kNoDeviceClientId);
    expectOAuthError(disabled, parseJson(disabled), 'device_flow_disabled', 'app without device flow');

    // Expiry: the device code after expires_in (6 s), the authorization code after its TTL (1 s).
    await sleep(Math.max(0, 6100 - (Date.now() - t0)));
    ({ res, body } = await poll(client, expiring.device_code));
    expectOAuthError(res, body, 'expired_token', 'poll after expires_in');
    const late = await client.token(expiringCode.form, 'application/json');
    expectOAuthError(late, parseJson(late), 'bad_verification_code', 'expired authorization code');
  } finally {
    child.kill('SIGTERM');
  }
}

// ------------------------------------------------------------------------------------------------

function runBrowser(url, ...flags) {
  const result = spawnSync(env('LATCHKEY_TEST_BROWSER'), [url, ...flags], { encoding: 'utf8', timeout: kTimeoutMs });
  process.stderr.write(result.stderr ?? '');
  check(result.status === 0, `browser driver exited ${result.status}`);
  const lines = result.stdout.trim().split('\n');
  check(lines.length === 1 && !lines[0].includes('?'), 'browser driver did not print one query-free JSON line');
  return JSON.parse(lines[0]);
}

/** A loopback receiver (in a child process: the browser runs synchronously here). */
async function startReceiver() {
  const source = `
    const http = require('node:http');
    const s = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://x');
      process.stdout.write(JSON.stringify({ path: u.pathname, query: Object.fromEntries(u.searchParams) }) + '\\n');
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>You can close this window.</body></html>');
    });
    s.listen(0, '127.0.0.1', () => process.stderr.write('port=' + s.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  child.stdout.on('data', (c) => lines.push(...String(c).trim().split('\n')));
  const port = await new Promise((resolve) => child.stderr.on('data', (c) => resolve(Number(/port=(\d+)/.exec(String(c))[1]))));
  return { child, port, received: () => lines.map((l) => JSON.parse(l)) };
}

async function caseBrowser() {
  const client = new Client(env('LATCHKEY_TEST_GITHUB_URL'), env('LATCHKEY_TEST_GITHUB_API_URL'));
  const receiver = await startReceiver();
  try {
    const redirectUri = `http://127.0.0.1:${receiver.port}/callback/test`;
    const { verifier, challenge } = pkcePair();
    const params = { client_id: kClientId, redirect_uri: redirectUri, scope: 'user:email', state: 'browser-state', code_challenge: challenge, code_challenge_method: 'S256' };
    const login = uniqueLogin('browser');
    const page = runBrowser(client.authorizeUrl(params), '--login', login);
    check(page.path === '/callback/test' && page.status === 200, `browser ended on ${JSON.stringify(page)}`);
    await sleep(200);
    const [got] = receiver.received();
    check(got?.query.state === 'browser-state' && got.query.code, 'the receiver got no code/state from the browser');
    const answer = parseJson(await client.token({ client_id: kClientId, client_secret: kSecret, code: got.query.code, redirect_uri: redirectUri, code_verifier: verifier }, 'application/json'));
    check(parseJson(await client.apiGet('/user', answer.access_token)).login === login, 'the browser signed in as someone else');

    runBrowser(client.authorizeUrl({ ...params, state: 'deny-state' }), '--deny');
    await sleep(200);
    const deny = receiver.received()[1];
    check(deny?.query.error === 'access_denied' && deny.query.state === 'deny-state' && !deny.query.code, '--deny did not reach the receiver as access_denied');

    // The device page, with the code prefilled from ?user_code=.
    const device = parseJson(await deviceStart(client));
    const devicePage = runBrowser(`${client.web}/login/device?user_code=${device.user_code}`, '--login', uniqueLogin('browserdev'));
    check(devicePage.path === '/login/device/authorize' && devicePage.status === 200, `device page ended on ${JSON.stringify(devicePage)}`);
    await sleep(device.interval * 1000);
    const { body } = await poll(client, device.device_code);
    check(/^gho_/.test(body.access_token ?? ''), `device flow through the browser gave ${body.error}`);
  } finally {
    receiver.child.kill('SIGTERM');
  }
}

const kCases = { web: caseWeb, api: caseApi, device: caseDevice, browser: caseBrowser };

async function main() {
  const name = process.argv[2];
  if (!kCases[name]) {
    process.stderr.write(`usage: github_standin_selftest.mjs {${Object.keys(kCases).join('|')}}\n`);
    process.exit(2);
  }
  try {
    await kCases[name]();
    process.stdout.write(`PASS github ${name}\n`);
  } catch (err) {
    const message = err instanceof Failure ? err.message : `${err.name}: ${err.message}`;
    process.stderr.write(`FAIL github ${name}: ${message}\n`);
    process.exitCode = 1;
  }
}

await main();
