// The API as the page uses it: the public endpoints, with the key (if one
// was given) in the Authorization header. Nothing here is private to the
// page; a frontend can do the same.

export const API = '/api/v1';
const KEY = 'city-region-api:key';

/** The API key kept for this tab (sessionStorage, never the URL). */
export function key() {
  return sessionStorage.getItem(KEY) || '';
}

export function setKey(value) {
  if (value) sessionStorage.setItem(KEY, value);
  else sessionStorage.removeItem(KEY);
}

/** A problem+json answer, as an error. */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
  /** The field errors, by field name. */
  fields() {
    const out = {};
    for (const e of this.body.errors || []) (out[e.field] ||= []).push(e.message);
    return out;
  }
}

/** One call: `{data, etag}`, or a thrown Problem. */
export async function call(path, { method = 'GET', body, ifMatch } = {}) {
  const headers = { Accept: 'application/json' };
  if (key()) headers.Authorization = `Bearer ${key()}`;
  if (body !== undefined) {
    headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  }
  if (ifMatch) headers['If-Match'] = ifMatch;
  const response = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Problem(response.status, data);
  return { data, etag: response.headers.get('ETag') };
}

/** A list path with its query. */
export function listPath(collection, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  }
  const qs = params.toString();
  return `/${collection}${qs ? `?${qs}` : ''}`;
}

/** Every row of a list, following the cursor (small lists only). */
export async function all(collection, query = {}) {
  const rows = [];
  let cursor;
  do {
    const { data } = await call(listPath(collection, { ...query, limit: 100, cursor }));
    rows.push(...data.data);
    cursor = data.meta.next_cursor;
  } while (cursor);
  return rows;
}
