// Test-only stand-in for GitHub (github.com + api.github.com) for Latchkey's tests. GitHub cannot be
// reached from CI, so this follows GitHub's *documented* OAuth App protocol and REST encodings, so a
// client that works against it works against github.com. Node stdlib only (Node 18 and 20).
//
//   node tests/harness/github/standin.mjs [--web-port P] [--api-port Q]     (0 / absent: free ports)
//
// Prints one line once both listen on 127.0.0.1:
//   github-standin ready web=http://127.0.0.1:<P> api=http://127.0.0.1:<Q> pid=<pid>
// stdout then logs one line per request (method, path, status; never a query string, code or token).
// Everything is in memory; nothing survives a restart.
//
// Documentation followed (each rule is cited again where it is enforced):
//   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
//   https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors
//   https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
//   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
//   https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication (PKCE)
//   https://docs.github.com/en/rest/users/users#get-the-authenticated-user
//   https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
//   https://docs.github.com/en/rest/apps/oauth-applications (check / delete an app token)
//   https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api (User-Agent)
//
// Web host (github.com):
//   GET  /login/oauth/authorize      client_id, redirect_uri, scope, state, login, allow_signup, prompt,
//                                    code_challenge + code_challenge_method=S256 (optional, S256 only).
//                                    Unknown client_id: 404 page. redirect_uri not matching the app's
//                                    callback URL: redirect to the registered callback with
//                                    error=redirect_uri_mismatch. Then the sign-in page, then the
//                                    Authorize page (skipped when the user already granted these scopes
//                                    to the app), then a redirect to redirect_uri with code and state.
//                                    [ Cancel ] redirects with error=access_denied&error_description=...
//                                    &error_uri=...&state=...
//   POST /session                    the sign-in form (any password; the login picks the account)
//   POST /login/oauth/access_token   web flow: client_id, client_secret, code, redirect_uri, code_verifier.
//                                    device flow: client_id, device_code,
//                                    grant_type=urn:ietf:params:oauth:grant-type:device_code.
//                                    Answer encoded by Accept: application/x-www-form-urlencoded by
//                                    default, application/json, application/xml. Errors are HTTP 200 in
//                                    the same encoding with error, error_description, error_uri:
//                                    incorrect_client_credentials, bad_verification_code (unknown, used,
//                                    expired code: codes are single-use and live 10 minutes),
//                                    redirect_uri_mismatch, unverified_user_email, invalid_grant (PKCE
//                                    check failed: GitHub does not document this error; RFC 7636 §4.6's),
//                                    unsupported_grant_type, and the device errors below.
//                                    Success: access_token (gho_...), scope (comma-separated normalized
//                                    list, e.g. "read:user,user:email"), token_type=bearer.
//   POST /login/device/code          client_id, scope -> device_code (40 hex), user_code (XXXX-XXXX),
//                                    verification_uri (<web>/login/device), expires_in, interval.
//   GET  /login/device[?user_code=]  sign in, type the code, Authorize or [ Cancel ] (the code is then
//                                    refused with access_denied). ?user_code= prefills the code: a
//                                    stand-in convenience (GitHub documents no verification_uri_complete)
//                                    so that tests/harness/browser.mjs can drive the device pages.
//   Device poll errors (HTTP 200): authorization_pending; slow_down (polled sooner than `interval`
//   after the previous poll: the interval grows by 5 s and the answer carries the new `interval`);
//   expired_token; access_denied; incorrect_device_code (also for a code already exchanged);
//   incorrect_client_credentials; device_flow_disabled; unsupported_grant_type.
//
// API host (api.github.com); every request needs a User-Agent header (else 403, plain text):
//   GET    /user                      Authorization: Bearer <t> or token <t>. The user as JSON (numeric
//                                     id, login, name, email = the public email or null, avatar_url,
//                                     html_url, ...); X-OAuth-Scopes, X-Accepted-OAuth-Scopes headers.
//                                     No token: 401 "Requires authentication"; bad token: 401
//                                     {"message":"Bad credentials","documentation_url":...}.
//   GET    /user/emails               needs scope user:email or user, else 404 "Not Found";
//                                     [{email, primary, verified, visibility}].
//   POST   /applications/{client_id}/token   check a token   } Basic auth client_id:client_secret,
//   DELETE /applications/{client_id}/token   revoke a token  } JSON body {"access_token": "..."};
//                                     200 / 204; unknown token or bad credentials 404; no token 422.
//
// Registered OAuth apps (an OAuth app has exactly one callback URL; a redirect_uri may name a
// subdirectory of it and, being loopback, any port: http://127.0.0.1:<port>/callback/github,
// /callback/cli, /callback/test all match http://127.0.0.1/callback):
//   Ov23liLatchkeyTest01  secret c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa01  device flow enabled
//   Ov23liLatchkeyNoDev1  secret c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa02  device flow disabled
//
// Accounts: any valid GitHub login name signs in (any password). id = a stable number derived from
// the lower-cased login; name = the login capitalised; emails:
//   <login>                    primary <login>@users.example.com, verified, public (= /user "email")
//   private-<name>             primary verified but private: /user "email" is null
//   noemail-<name>             no email addresses; /user "email" is null
//   unverified-<name>          primary <login>@users.example.com UNVERIFIED, plus a verified non-primary
//                              <login>.verified@users.example.com; /user "email" is null
//   unverified-refused-<name>  as unverified-, but the token endpoint refuses it with
//                              unverified_user_email (documented for users whose primary is unverified)
//
// Environment (seconds, positive integers; for tests that need short lifetimes):
//   LATCHKEY_TEST_GITHUB_CODE_TTL         authorization code lifetime (default 600, GitHub's 10 minutes)
//   LATCHKEY_TEST_GITHUB_DEVICE_TTL       device/user code lifetime, expires_in (default 900)
//   LATCHKEY_TEST_GITHUB_DEVICE_INTERVAL  device poll interval (default 5)
//   LATCHKEY_TEST_GITHUB_DEVICE_ADVERTISED_INTERVAL  the `interval` POST /login/device/code tells the
//                                         client (default: the poll interval). Shorter than it: a
//                                         client that follows it is answered slow_down (tests only)
//   LATCHKEY_TEST_GITHUB_SLOW_DOWN_STEP   what slow_down adds to the interval (default 5, GitHub's)

import http from 'node:http';
import { parseArgs } from 'node:util';
import { handleApi } from './api.mjs';
import { kDeviceRoutes } from './device.mjs';
import { sendHtml } from './http.mjs';
import { messagePage } from './pages.mjs';
import { kWebRoutes } from './web.mjs';

const kHost = '127.0.0.1';
// A 1x1 PNG served for every avatar_url.
const kAvatarPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function positiveIntFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (seconds), got "${raw}"`);
  return value;
}

function portOption(value, name) {
  const port = Number(value ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--${name} must be a port number, got "${value}"`);
  return port;
}

function logRequest(host, req, res) {
  res.on('finish', () => {
    const path = (req.url ?? '').split('?')[0];
    process.stdout.write(`${new Date().toISOString()} ${host} ${req.method} ${path} ${res.statusCode}\n`);
  });
}

function serve(host, handler) {
  return http.createServer((req, res) => {
    logRequest(host, req, res);
    const url = new URL(req.url ?? '/', `http://${kHost}`);
    Promise.resolve(handler(req, res, url)).catch((err) => {
      process.stderr.write(`github-standin: ${host} ${req.method} ${url.pathname}: ${err.message}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
}

function webHandler(store) {
  const routes = { ...kWebRoutes, ...kDeviceRoutes };
  return (req, res, url) => {
    const route = routes[`${req.method} ${url.pathname}`];
    if (route) return route(store, req, res, url);
    if (req.method === 'GET' && url.pathname.startsWith('/avatars/u/')) {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': kAvatarPng.length });
      return res.end(kAvatarPng);
    }
    req.resume(); // discard an unread body before answering
    return sendHtml(res, 404, messagePage('Not Found', 'This is not a page of the GitHub stand-in.'));
  };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, kHost, () => resolve(server.address().port));
  });
}

async function main() {
  const { values } = parseArgs({ options: { 'web-port': { type: 'string' }, 'api-port': { type: 'string' } } });
  const store = {
    config: {
      codeTtlMs: positiveIntFromEnv('LATCHKEY_TEST_GITHUB_CODE_TTL', 600) * 1000,
      deviceTtlS: positiveIntFromEnv('LATCHKEY_TEST_GITHUB_DEVICE_TTL', 900),
      deviceIntervalS: positiveIntFromEnv('LATCHKEY_TEST_GITHUB_DEVICE_INTERVAL', 5),
      deviceAdvertisedIntervalS: positiveIntFromEnv('LATCHKEY_TEST_GITHUB_DEVICE_ADVERTISED_INTERVAL', 0),
      slowDownStepS: positiveIntFromEnv('LATCHKEY_TEST_GITHUB_SLOW_DOWN_STEP', 5),
      webBase: '',
      apiBase: '',
    },
    sessions: new Map(), // cookie -> login
    authorizations: new Map(), // pending /login/oauth/authorize requests
    codes: new Map(), // authorization code -> grant
    devices: new Map(), // device_code -> device authorization
    userCodes: new Map(), // user_code -> device_code
    tokens: new Map(), // access token -> {app, login, scopes, createdAt, id}
    grants: new Map(), // client_id + login -> scopes the user authorized
    nextTokenId: 1,
  };
  const web = serve('web', webHandler(store));
  const api = serve('api', (req, res, url) => handleApi(store, req, res, url));
  const webPort = await listen(web, portOption(values['web-port'], 'web-port'));
  const apiPort = await listen(api, portOption(values['api-port'], 'api-port'));
  store.config.webBase = `http://${kHost}:${webPort}`;
  store.config.apiBase = `http://${kHost}:${apiPort}`;
  process.stdout.write(`github-standin ready web=${store.config.webBase} api=${store.config.apiBase} pid=${process.pid}\n`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      web.close();
      api.close();
      process.exit(0);
    });
  }
}

main().catch((err) => {
  process.stderr.write(`github-standin: ${err.message}\n`);
  process.exit(1);
});
