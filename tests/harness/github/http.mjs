// HTTP plumbing of the GitHub stand-in (see standin.mjs): request bodies, cookies, and the three
// response encodings GitHub's OAuth endpoints choose by the Accept header.

// Bodies above this are refused: the stand-in only ever receives small forms.
const kMaxBody = 64 * 1024;

/** Reads the whole request body as a string (rejects bodies over kMaxBody). */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > kMaxBody) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Parameters of a request to an OAuth endpoint: GitHub reads them from the query string and from a
 * form-encoded or JSON body alike (its docs call them "input parameters" without fixing where).
 */
export async function readParams(req, url) {
  const params = Object.fromEntries(url.searchParams);
  if (req.method !== 'POST') return params;
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      const json = JSON.parse(body || '{}');
      for (const [k, v] of Object.entries(json)) if (typeof v === 'string') params[k] = v;
    } catch {
      // An unparsable JSON body carries no parameters; the endpoint then reports what is missing.
    }
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }
  return params;
}

export function parseCookies(req) {
  const cookies = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return cookies;
}

function xmlEscape(value) {
  return String(value).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The encoding an OAuth endpoint answers in, chosen by Accept exactly as GitHub documents
 * (docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps, "By default, the
 * response takes the following form ... You can also receive the response in different formats if
 * you provide the format in the Accept header"): JSON for application/json, XML for
 * application/xml, otherwise application/x-www-form-urlencoded.
 */
export function oauthEncoding(req) {
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (accept.includes('application/json')) return 'json';
  if (accept.includes('application/xml')) return 'xml';
  return 'form';
}

/**
 * Sends an OAuth endpoint's answer (a flat object of strings/numbers) in the request's encoding.
 * GitHub answers OAuth errors with HTTP 200 too, so `status` is 200 unless a caller says otherwise.
 */
export function sendOAuth(req, res, fields, status = 200) {
  const encoding = oauthEncoding(req);
  let body;
  let type;
  if (encoding === 'json') {
    body = JSON.stringify(fields);
    type = 'application/json; charset=utf-8';
  } else if (encoding === 'xml') {
    const inner = Object.entries(fields)
      .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
      .join('');
    body = `<OAuth>${inner}</OAuth>`;
    type = 'application/xml; charset=utf-8';
  } else {
    body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
    type = 'application/x-www-form-urlencoded; charset=utf-8';
  }
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res, status, value, headers = {}) {
  const body = status === 204 ? '' : JSON.stringify(value, null, 2);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendHtml(res, status, html, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(html);
}

export function sendText(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function redirect(res, location, headers = {}) {
  res.writeHead(302, { Location: location, 'Content-Length': 0, 'Cache-Control': 'no-store', ...headers });
  res.end();
}

export function htmlEscape(value) {
  return String(value ?? '').replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
