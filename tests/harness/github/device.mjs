// Device flow of the GitHub stand-in (RFC 8628 as GitHub implements it), following
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#device-flow
// ("Device flow", "Rate limits for the device flow", "Error codes for the device flow").

import { randomBytes, randomInt } from 'node:crypto';
import { kApps, needsVerifiedEmail, accountOf, normalizeScopes } from './accounts.mjs';
import { readParams, sendHtml, sendOAuth } from './http.mjs';
import { deviceAuthorizePage, deviceCodePage, loginPage, messagePage } from './pages.mjs';
import { newAccessToken, rememberGrant, sendTokenError, sessionLogin } from './web.mjs';

export const kDeviceGrantType = 'urn:ietf:params:oauth:grant-type:device_code';
const kDeviceErrorsUri = 'https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow';
// RFC 8628 §6.1: a base-20 alphabet without vowels; GitHub's codes look like WDJB-MJHT.
const kUserCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ';

// The "Error codes for the device flow" table; descriptions are ours (GitHub does not document its
// exact wording).
const kDeviceErrors = {
  authorization_pending: 'The authorization request is still pending.',
  slow_down: 'Too many requests have been made in the same timeframe.',
  expired_token: 'The device_code has expired.',
  incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
  incorrect_device_code: 'The device_code provided is not valid.',
  access_denied: 'The authorization request was denied.',
  device_flow_disabled: 'Device flow must be explicitly enabled for this App.',
};

function sendDeviceError(req, res, error, extra = {}) {
  sendOAuth(req, res, { error, error_description: kDeviceErrors[error], error_uri: kDeviceErrorsUri, ...extra });
}

function newUserCode() {
  const chars = Array.from({ length: 8 }, () => kUserCodeAlphabet[randomInt(kUserCodeAlphabet.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** What the user typed, as a stored user code (case and the hyphen do not matter). */
function normalizeUserCode(raw) {
  const plain = String(raw ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : '';
}

// POST /login/device/code ("Step 1").
async function deviceCode(store, req, res, url) {
  const params = await readParams(req, url);
  const app = kApps.get(params.client_id ?? '');
  // Not documented for this endpoint: an unknown client_id gets the poll's client error.
  if (!app) return sendDeviceError(req, res, 'incorrect_client_credentials');
  if (!app.deviceFlow) return sendDeviceError(req, res, 'device_flow_disabled');
  const { deviceTtlS, deviceIntervalS } = store.config;
  // "The device verification code is 40 characters"; "This code is 8 characters with a hyphen".
  const code = randomBytes(20).toString('hex');
  let userCode;
  do userCode = newUserCode();
  while (store.userCodes.has(userCode));
  store.devices.set(code, {
    app,
    scopes: normalizeScopes(params.scope),
    userCode,
    expiresAt: Date.now() + deviceTtlS * 1000,
    interval: deviceIntervalS,
    lastPollAt: null,
    status: 'pending',
    login: null,
  });
  store.userCodes.set(userCode, code);
  sendOAuth(req, res, {
    device_code: code,
    user_code: userCode,
    verification_uri: `${store.config.webBase}/login/device`,
    expires_in: deviceTtlS,
    // A test knob may advertise less than the enforced interval, to provoke slow_down.
    interval: store.config.deviceAdvertisedIntervalS || deviceIntervalS,
  });
}

/** POST /login/oauth/access_token with grant_type=urn:ietf:params:oauth:grant-type:device_code. */
export function devicePoll(store, req, res, params) {
  const app = kApps.get(params.client_id ?? '');
  // "The client_secret is not needed for the device flow."
  if (!app) return sendDeviceError(req, res, 'incorrect_client_credentials');
  if (!app.deviceFlow) return sendDeviceError(req, res, 'device_flow_disabled');
  const device = store.devices.get(params.device_code ?? '');
  if (!device || device.app !== app) return sendDeviceError(req, res, 'incorrect_device_code');
  const now = Date.now();
  if (device.expiresAt <= now) return sendDeviceError(req, res, 'expired_token');
  if (device.status === 'denied') return sendDeviceError(req, res, 'access_denied');
  // "If you make more than one access token request ... within the required minimum timeframe
  // between requests (or interval), you'll hit the rate limit and receive a slow_down error response.
  // The slow_down error response adds 5 seconds to the last interval" and "includes the new interval".
  const tooSoon = device.lastPollAt !== null && now - device.lastPollAt < device.interval * 1000;
  device.lastPollAt = now;
  if (tooSoon) {
    device.interval += store.config.slowDownStepS;
    return sendDeviceError(req, res, 'slow_down', { interval: device.interval });
  }
  if (device.status !== 'approved') return sendDeviceError(req, res, 'authorization_pending');
  if (needsVerifiedEmail(accountOf(device.login))) return sendTokenError(req, res, 'unverified_user_email');
  // One token per approval: the device code is spent (a later poll is incorrect_device_code).
  store.devices.delete(params.device_code);
  store.userCodes.delete(device.userCode);
  const token = newAccessToken();
  store.tokens.set(token, { app, login: device.login, scopes: device.scopes, createdAt: new Date(), id: store.nextTokenId++ });
  return sendOAuth(req, res, { access_token: token, token_type: 'bearer', scope: device.scopes.join(',') });
}

function pendingDevice(store, userCode) {
  const code = store.userCodes.get(userCode);
  const device = code ? store.devices.get(code) : undefined;
  if (!device || device.status !== 'pending' || device.expiresAt <= Date.now()) return null;
  return device;
}

function cancelUrlFor(userCode) {
  return `/login/device/cancel${userCode ? `?user_code=${encodeURIComponent(userCode)}` : ''}`;
}

// GET /login/device[?user_code=XXXX-XXXX] ("Step 2"): sign in first, then type the code.
function devicePage(store, req, res, url) {
  const userCode = normalizeUserCode(url.searchParams.get('user_code'));
  const here = `/login/device${userCode ? `?user_code=${userCode}` : ''}`;
  if (!sessionLogin(store, req)) {
    sendHtml(res, 200, loginPage({ returnTo: here, cancelUrl: cancelUrlFor(userCode) }));
    return;
  }
  sendHtml(res, 200, deviceCodePage({ userCode, cancelUrl: cancelUrlFor(userCode) }));
}

// POST /login/device (the code form): show the authorize page for that code.
async function deviceSubmit(store, req, res, url) {
  const params = await readParams(req, url);
  const userCode = normalizeUserCode(params.user_code);
  const login = sessionLogin(store, req);
  if (!login) {
    sendHtml(res, 200, loginPage({ returnTo: `/login/device?user_code=${userCode}`, cancelUrl: cancelUrlFor(userCode) }));
    return;
  }
  const device = pendingDevice(store, userCode);
  if (!device) {
    const error = 'Invalid or expired code. Check the code on your device and try again.';
    sendHtml(res, 200, deviceCodePage({ userCode: params.user_code ?? '', error, cancelUrl: cancelUrlFor('') }));
    return;
  }
  sendHtml(res, 200, deviceAuthorizePage({ app: device.app, login, scopes: device.scopes, userCode, cancelUrl: cancelUrlFor(userCode) }));
}

// POST /login/device/authorize (the Authorize button).
async function deviceAuthorize(store, req, res, url) {
  const params = await readParams(req, url);
  const userCode = normalizeUserCode(params.user_code);
  const login = sessionLogin(store, req);
  const device = pendingDevice(store, userCode);
  if (!login || !device) {
    sendHtml(res, 400, messagePage('Invalid or expired code', 'Request a new code on your device.'));
    return;
  }
  device.status = 'approved';
  device.login = login;
  rememberGrant(store, device.app, login, device.scopes);
  sendHtml(res, 200, messagePage("Congratulations, you're all set!", 'Your device is now connected.'));
}

// GET /login/device/cancel[?user_code=]: "When a user clicks cancel during the authorization process,
// you'll receive a access_denied error and the user won't be able to use the verification code again."
function deviceCancel(store, req, res, url) {
  const device = pendingDevice(store, normalizeUserCode(url.searchParams.get('user_code')));
  if (device) device.status = 'denied';
  sendHtml(res, 200, messagePage('Authorization cancelled', 'The device was not connected to your account.'));
}

export const kDeviceRoutes = {
  'POST /login/device/code': deviceCode,
  'GET /login/device': devicePage,
  'POST /login/device': deviceSubmit,
  'POST /login/device/authorize': deviceAuthorize,
  'GET /login/device/cancel': deviceCancel,
};
