// The explorer's entry: the router (the part of the URL after `#`) and the
// key form. Views are in views.js, API calls in api.js.

import { Problem, call, key, setKey } from './api.js';
import { failure, mapView, recommendationsView, recordView, timelineView } from './views.js';

const main = document.getElementById('main');

async function route(notice) {
  const hash = location.hash.slice(1) || '/';
  // Only `#/...` names a view; another fragment (the skip link's `#main`)
  // leaves the page as it is.
  if (!hash.startsWith('/')) {
    if (main.querySelector('.loading')) location.replace('#/');
    return;
  }
  const [path, qs] = hash.split('?');
  const query = new URLSearchParams(qs || '');
  let parts = [];
  let view;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0) view = await mapView();
    else if (parts[0] === 'events' && parts.length === 1) view = await timelineView(query);
    else if (parts[0] === 'recommendations' && parts.length === 1) view = await recommendationsView(query);
    else if (['partners', 'events', 'recommendations'].includes(parts[0]) && parts.length === 2) {
      view = await recordView(parts[0], parts[1], notice);
    } else throw new Problem(404, { detail: `Nothing is at #${path}.` });
  } catch (error) {
    view = failure(error);
  }
  main.replaceChildren(view);
  document.title = `${view.querySelector('h2')?.textContent || 'Explorer'} · JOINING FORCES explorer`;
  // The section a view belongs to (a partner's record to the map).
  const section = ['events', 'recommendations'].includes(parts[0]) ? `#/${parts[0]}` : '#/';
  for (const link of document.querySelectorAll('nav a[href^="#"]')) {
    if (link.getAttribute('href') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // After a save or a refused one, the notice says what happened.
  main.querySelector('.notice')?.focus();
  document.body.dataset.ready = 'true';
}

document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', () => {
  route().then(() => main.focus({ preventScroll: false }));
});
document.addEventListener('explorer:reload', (event) => route(event.detail));

// The key: kept in sessionStorage for this tab, never in the URL.
const form = document.getElementById('key-form');
// Shown only once this script runs: without it, the form could send the
// key in a URL.
form.hidden = false;
const input = document.getElementById('key');
const forget = document.getElementById('key-forget');
const status = document.getElementById('key-status');

async function showKey(message) {
  forget.hidden = !key();
  status.textContent = message || (key() ? 'A key is in use: drafts it may see are shown, and records it may change can be edited.' : '');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = input.value.trim();
  if (!value) return;
  setKey(value);
  try {
    // Any read checks the key: a bad one is a 401.
    await call('/thematic-areas?limit=1');
    input.value = '';
    await showKey();
    await route();
  } catch (error) {
    setKey('');
    await showKey(error instanceof Problem && error.status === 401 ? 'That key was refused. Check it and try again.' : error.message);
  }
});

forget.addEventListener('click', async () => {
  setKey('');
  await showKey('The key is forgotten.');
  await route();
});

showKey();
route();
