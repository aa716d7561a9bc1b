// The explorer's views, each built from public API calls into DOM nodes
// (no innerHTML: every text from the API is set as text).

import { Problem, all, call, key, listPath } from './api.js';
import { COUNTRIES, HEIGHT, WIDTH, project } from './europe.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes (`on*` as listeners) and children. */
export function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'path', 'g', 'circle', 'rect', 'text', 'a', 'title'].includes(tag) && attrs.svg;
  const el = svg ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'svg' || value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'text') el.textContent = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const s = (tag, attrs = {}, ...children) => h(tag, { ...attrs, svg: true }, ...children);

/** The spec, for the closed value lists the forms offer. */
let spec;
async function enumOf(schema) {
  spec ||= await (await fetch('/api-docs/openapi.json')).json();
  return spec.components.schemas[schema]?.enum || [];
}

const TAGS = { partners: 'Partners', events: 'Events', recommendations: 'Recommendations' };
const ONE = { partners: 'partner', events: 'event', recommendations: 'recommendation' };

function formatDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
  });
}

const words = (value) => String(value).replaceAll('_', ' ');

// ---------------------------------------------------------------- the map

export async function mapView() {
  const partners = await all('partners', { sort: 'name' });
  const summary = h('div', { class: 'summary', id: 'partner-summary', 'aria-live': 'polite' },
    h('p', { class: 'hint', text: 'Point at or tab to a city to see its summary.' }));
  const show = (p) => {
    summary.replaceChildren(
      h('h3', {}, h('a', { href: `#/partners/${p.slug}`, text: p.name })),
      h('p', {}, `${p.city}, ${p.country_code}`, p.role === 'lead_partner' ? ' · lead partner' : ''),
      p.population ? h('p', {}, `${p.population.toLocaleString('en-GB')} inhabitants`) : null,
      p.region ? h('p', { text: p.region }) : null,
    );
  };
  const map = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'map', role: 'group',
    'aria-label': `Map of Europe with the ${partners.length} partner city-regions`,
  });
  map.append(s('g', { class: 'countries', 'aria-hidden': 'true' },
    COUNTRIES.map((c) => s('path', { d: c.d, class: 'country' }, s('title', { text: c.name })))));
  const markers = s('g', { class: 'markers' });
  const placed = partners.filter((p) => p.latitude !== null && p.longitude !== null);
  // Lead partner last, so that it is drawn on top.
  placed.sort((a, b) => (a.role === 'lead_partner') - (b.role === 'lead_partner'));
  const labels = placeLabels(placed);
  for (const p of placed) {
    const [x, y] = project(p.longitude, p.latitude);
    const label = labels.get(p.slug);
    const lead = p.role === 'lead_partner';
    const marker = s('a', {
      href: `#/partners/${p.slug}`, class: lead ? 'marker lead' : 'marker',
      'aria-label': `${p.name}, ${p.city}${lead ? ' (lead partner)' : ''}`,
      'data-slug': p.slug, onfocus: () => show(p), onmouseenter: () => show(p),
    },
    lead
      ? s('rect', { x: x - 9, y: y - 9, width: 18, height: 18, transform: `rotate(45 ${x} ${y})` })
      : s('circle', { cx: x, cy: y, r: 8 }),
    s('text', { x: label.x, y: label.y, 'text-anchor': label.anchor, text: p.name }));
    markers.append(marker);
  }
  map.append(markers);
  const unplaced = partners.length - placed.length;
  return h('section', { class: 'map-view', 'aria-labelledby': 'map-title' },
    h('h2', { id: 'map-title', text: 'The partner city-regions' }),
    h('div', { class: 'map-grid' },
      h('div', { class: 'map-frame' }, map,
        h('p', { class: 'legend' },
          h('span', { class: 'key-lead', 'aria-hidden': 'true' }), ' lead partner ',
          h('span', { class: 'key-partner', 'aria-hidden': 'true' }), ' partner',
          unplaced ? ` · ${unplaced} without coordinates` : '')),
      h('div', {}, summary,
        h('h3', { text: 'All partners' }),
        h('ul', { class: 'partner-list' }, partners.map((p) => h('li', {},
          h('a', { href: `#/partners/${p.slug}`, text: p.name }),
          ` · ${p.city}, ${p.country_code}`, p.role === 'lead_partner' ? ' · lead' : ''))))));
}

/** Where each partner's name goes: right of its marker, else left, above
 * or below, the first place that covers no other name or marker. */
function placeLabels(partners) {
  const FONT = 19;
  const points = partners.map((p) => [p, project(p.longitude, p.latitude)]);
  const taken = points.map(([, [x, y]]) => ({ x: x - 11, y: y - 11, w: 22, h: 22 }));
  const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const placed = new Map();
  // The lead partner first, then west to east.
  const order = [...points].sort(([a, [ax]], [b, [bx]]) =>
    (b.role === 'lead_partner') - (a.role === 'lead_partner') || ax - bx);
  for (const [p, [x, y]] of order) {
    const w = p.name.length * FONT * 0.56;
    const options = [
      { x: x + 13, y: y + 6, anchor: 'start', box: { x: x + 12, y: y - 12, w, h: 24 } },
      { x: x - 13, y: y + 6, anchor: 'end', box: { x: x - 12 - w, y: y - 12, w, h: 24 } },
      { x, y: y - 16, anchor: 'middle', box: { x: x - w / 2, y: y - 36, w, h: 24 } },
      { x, y: y + 30, anchor: 'middle', box: { x: x - w / 2, y: y + 12, w, h: 24 } },
    ];
    const free = options.find((o) => !taken.some((b) => overlaps(o.box, b))) || options[0];
    taken.push(free.box);
    placed.set(p.slug, free);
  }
  return placed;
}

// ------------------------------------------------------------ the timeline

export async function timelineView(query) {
  const filter = Object.fromEntries(['partner', 'thematic_area', 'kind'].map((k) => [k, query.get(k)]));
  const events = await all('events', { ...filter, sort: 'starts_on' });
  const years = new Map();
  for (const e of events) {
    const year = e.starts_on.slice(0, 4);
    if (!years.has(year)) years.set(year, []);
    years.get(year).push(e);
  }
  const active = Object.entries(filter).filter(([, v]) => v);
  return h('section', { class: 'timeline-view', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title', text: 'The network’s life' }),
    active.length ? h('p', { class: 'filters' }, 'Only events with ',
      active.map(([k, v]) => `${words(k)} ${v}`).join(', '), ' · ', h('a', { href: '#/events', text: 'all events' })) : null,
    events.length === 0 ? h('p', { text: 'No event matches.' }) : null,
    h('div', { class: 'timeline' }, [...years].map(([year, list]) => h('section', { class: 'year' },
      h('h3', { text: year }),
      h('ol', {}, list.map((e) => h('li', {},
        h('time', { datetime: e.starts_on, text: formatDate(e.starts_on) }),
        e.ends_on && e.ends_on !== e.starts_on ? ` to ${formatDate(e.ends_on)}` : '',
        ' ', h('a', { href: `#/events/${e.slug}`, text: e.title }),
        h('span', { class: 'meta' }, ` ${words(e.kind)}`, e.city ? ` · ${e.city}` : '',
          e.host_partner ? ` · hosted by ${e.host_partner.name}` : ''))))))));
}

// ------------------------------------------------------ the recommendations

export async function recommendationsView(query) {
  const filter = {
    thematic_area: query.get('thematic_area') || undefined,
    target_level: query.get('target_level') || undefined,
    partner: query.get('partner') || undefined,
    q: query.get('q') || undefined,
  };
  const levels = await enumOf('TargetLevel');
  const { data: faceted } = await call(listPath('recommendations', {
    facets: 'thematic_area,target_level', limit: 1, q: filter.q,
  }));
  const [themes, byLevel] = faceted.meta.facets.fields;
  const pairs = new Map(faceted.meta.facets.pairs.map((p) => [p.values.join('|'), p.count]));
  const levelCount = new Map(byLevel.values.map((v) => [v.value, v.count]));
  const matrix = h('table', { class: 'matrix' },
    h('caption', {}, 'Recommendations by thematic area and target level',
      filter.q ? ` matching “${filter.q}”` : '', key() ? ' (drafts your key sees included)' : ''),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Thematic area' }),
      levels.map((l) => h('th', { scope: 'col', text: words(l) })), h('th', { scope: 'col', text: 'All levels' }))),
    h('tbody', {}, themes.values.map((t) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `#/recommendations?thematic_area=${t.value}`, text: t.label })),
      levels.map((l) => {
        const n = pairs.get(`${t.value}|${l}`) || 0;
        return h('td', {}, n ? h('a', {
          href: `#/recommendations?thematic_area=${t.value}&target_level=${l}`,
          'aria-label': `${n} ${t.label}, ${words(l)}`, text: String(n),
        }) : '0');
      }),
      h('td', { text: String(t.count) })))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', text: 'All themes' }),
      levels.map((l) => h('td', {}, h('a', { href: `#/recommendations?target_level=${l}`, text: String(levelCount.get(l) || 0) }))),
      h('td', { text: String(faceted.meta.total) }))));

  const list = h('ol', { class: 'records' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'more', hidden: true, text: 'Show more' });
  let cursor;
  const load = async () => {
    more.disabled = true;
    let data;
    try {
      ({ data } = await call(listPath('recommendations', { ...filter, limit: 20, cursor })));
    } catch (error) {
      status.textContent = `Could not load more: ${error.message}`;
      more.disabled = false;
      return;
    }
    const firstNew = list.children.length;
    for (const r of data.data) {
      list.append(h('li', {},
        h('a', { href: `#/recommendations/${r.slug}`, text: r.title }),
        h('span', { class: 'meta' }, ` ${words(r.target_level)}`, r.status === 'draft' ? ' · draft' : '',
          r.thematic_areas.length ? ` · ${r.thematic_areas.map((a) => a.name).join(', ')}` : '')));
    }
    cursor = data.meta.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    status.textContent = `Showing ${list.children.length} of ${data.meta.total}.`;
    return firstNew;
  };
  // After "Show more", focus moves to the first new row (the button may
  // be gone).
  more.addEventListener('click', async () => {
    const firstNew = await load();
    if (firstNew !== undefined) list.children[firstNew]?.querySelector('a')?.focus();
  });
  await load();

  const active = Object.entries(filter).filter(([k, v]) => v && k !== 'q');
  const search = h('form', { class: 'search', role: 'search', onsubmit: (event) => {
    event.preventDefault();
    const params = new URLSearchParams(location.hash.split('?')[1] || '');
    const q = event.target.elements.q.value.trim();
    if (q) params.set('q', q); else params.delete('q');
    location.hash = `#/recommendations${params.toString() ? `?${params}` : ''}`;
  } },
  h('label', { for: 'q', text: 'Search the recommendations' }),
  h('div', { class: 'row' }, h('input', { id: 'q', name: 'q', type: 'search', value: filter.q || '' }),
    h('button', { type: 'submit', text: 'Search' })));
  return h('section', { class: 'recommendations-view', 'aria-labelledby': 'rec-title' },
    h('h2', { id: 'rec-title', text: 'What the network recommended, to whom' }),
    h('div', { class: 'table-frame' }, matrix),
    search,
    active.length ? h('p', { class: 'filters' }, 'Only ', active.map(([k, v]) => `${words(k)} ${words(v)}`).join(', '),
      ' · ', h('a', { href: '#/recommendations', text: 'all recommendations' })) : null,
    status, list, more);
}

// ------------------------------------------------------------ one record

const FIELDS = {
  partners: [['city'], ['country_code', 'Country'], ['role', null, words], ['region'],
    ['population', null, (n) => n.toLocaleString('en-GB')], ['latitude'], ['longitude'], ['website', null, 'url'],
    ['description']],
  events: [['kind', null, words], ['starts_on', 'Starts', formatDate], ['ends_on', 'Ends', formatDate], ['city'],
    ['country_code', 'Country'], ['host_partner', 'Host', 'partner'], ['partners', 'Participants', 'partners'],
    ['thematic_areas', 'Thematic areas', 'areas'], ['description'], ['url', 'Web page', 'url']],
  recommendations: [['body', 'Recommendation'], ['target_level', 'Addressed to', words], ['status'],
    ['thematic_areas', 'Thematic areas', 'areas'], ['partners', 'Proposed by', 'partners']],
};

/** What an edit form offers, per collection: field, label, kind. */
const EDITABLE = {
  partners: [['name', 'Name', 'text'], ['city', 'City', 'text'], ['region', 'Region', 'text'],
    ['population', 'Population', 'number'], ['website', 'Web site', 'url'], ['description', 'Description', 'textarea']],
  events: [['title', 'Title', 'text'], ['kind', 'Kind', 'EventKind'], ['starts_on', 'Starts on', 'date'],
    ['ends_on', 'Ends on', 'date'], ['city', 'City', 'text'], ['url', 'Web page', 'url'],
    ['description', 'Description', 'textarea']],
  recommendations: [['title', 'Title', 'text'], ['body', 'Text', 'textarea'],
    ['target_level', 'Addressed to', 'TargetLevel'], ['status', 'Status', 'RecommendationStatus']],
};

function value(record, [field, , shown]) {
  const v = record[field];
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return null;
  if (shown === 'partner') return h('a', { href: `#/partners/${v.slug}`, text: v.name });
  if (shown === 'partners') return h('ul', { class: 'inline' }, v.map((p) => h('li', {}, h('a', { href: `#/partners/${p.slug}`, text: p.name }))));
  if (shown === 'areas') return h('ul', { class: 'inline' }, v.map((a) => h('li', {}, h('a', { href: `#/recommendations?thematic_area=${a.slug}`, text: a.name }))));
  if (shown === 'url') return h('a', { href: v, rel: 'noopener', text: v });
  if (typeof shown === 'function') return shown(v);
  return String(v);
}

export async function recordView(collection, slug, notice) {
  const { data: record, etag } = await call(`/${collection}/${encodeURIComponent(slug)}`);
  const title = record.name || record.title;
  const rows = FIELDS[collection].map((f) => [f, value(record, f)]).filter(([, v]) => v !== null);
  const json = `/api/v1/${collection}/${record.slug}`;
  const csv = `/api/v1/${collection}.csv?slug=${record.slug}`;
  const docs = `/docs/#/${TAGS[collection]}/get_${ONE[collection]}`;
  const related = collection === 'partners' ? h('p', { class: 'related' },
    h('a', { href: `#/events?partner=${record.slug}`, text: 'Its events' }), ' · ',
    h('a', { href: `#/recommendations?partner=${record.slug}`, text: 'Its recommendations' })) : null;
  const view = h('article', { class: 'record', 'aria-labelledby': 'record-title' },
    h('p', { class: 'kind', text: ONE[collection] }),
    h('h2', { id: 'record-title', text: title }),
    notice ? h('p', { class: 'notice', role: 'alert', tabindex: '-1', text: notice }) : null,
    h('dl', {}, rows.map(([[field, label], v]) => [h('dt', { text: label || words(field).replace(/^./, (c) => c.toUpperCase()) }), h('dd', {}, v)])),
    related,
    h('p', { class: 'links' }, 'This record as ', h('a', { href: json, text: 'JSON' }), ', as ',
      h('a', { href: csv, text: 'CSV' }), ', and its operation in ', h('a', { href: docs, text: 'the API docs' }), '.'),
    h('p', { class: 'updated' }, `Last changed ${new Date(record.updated_at).toUTCString()}.`));
  if (key()) view.append(await editForm(collection, record, etag));
  return view;
}

async function editForm(collection, record, etag) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const inputs = {};
  const errors = {};
  const fields = await Promise.all(EDITABLE[collection].map(async ([field, label, kind]) => {
    const id = `edit-${field}`;
    const current = record[field] ?? '';
    let input;
    if (kind === 'textarea') input = h('textarea', { id, name: field, rows: 6 }, String(current));
    else if (/^[A-Z]/.test(kind)) {
      input = h('select', { id, name: field }, (await enumOf(kind)).map((v) => h('option', { value: v, selected: v === current, text: words(v) })));
    } else input = h('input', { id, name: field, type: kind, value: String(current) });
    errors[field] = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    inputs[field] = input;
    return h('div', { class: 'field' }, h('label', { for: id, text: label }), input, errors[field]);
  }));
  const form = h('form', { class: 'edit', novalidate: true, 'aria-labelledby': 'edit-heading', onsubmit: async (event) => {
    event.preventDefault();
    const patch = {};
    for (const [field, , kind] of EDITABLE[collection]) {
      const raw = inputs[field].value;
      const before = record[field] ?? '';
      if (raw === String(before)) continue;
      patch[field] = raw === '' ? null : kind === 'number' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    for (const [field, input] of Object.entries(inputs)) {
      errors[field].hidden = true;
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
    if (Object.keys(patch).length === 0) {
      status.textContent = 'Nothing changed.';
      return;
    }
    status.textContent = 'Saving…';
    try {
      await call(`/${collection}/${record.id}`, { method: 'PATCH', body: patch, ifMatch: etag });
      document.dispatchEvent(new CustomEvent('explorer:reload', { detail: 'Saved.' }));
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      if (error.status === 412) {
        document.dispatchEvent(new CustomEvent('explorer:reload', {
          detail: 'Someone else changed this record since you opened it. Here is the new version: make your change again.',
        }));
        return;
      }
      const byField = error.fields();
      let first;
      for (const [field, messages] of Object.entries(byField)) {
        if (!errors[field]) continue;
        errors[field].textContent = messages.join('; ');
        errors[field].hidden = false;
        inputs[field].setAttribute('aria-invalid', 'true');
        inputs[field].setAttribute('aria-describedby', errors[field].id);
        first ||= inputs[field];
      }
      status.textContent = error.status === 422 || error.status === 400
        ? `Not saved: ${error.body.detail}`
        : error.status === 401 || error.status === 403
          ? `Not saved: this key may not change this record (${error.body.detail})`
          : `Not saved: ${error.message}`;
      first?.focus();
    }
  } },
  h('h3', { id: 'edit-heading', text: `Edit this ${ONE[collection]}` }),
  fields,
  h('button', { type: 'submit', text: 'Save' }),
  status);
  return form;
}

/** A failed view, said in words. */
export function failure(error) {
  if (error instanceof Problem && error.status === 404) {
    return h('section', {}, h('h2', { text: 'Not found' }), h('p', { text: error.message }),
      h('p', {}, h('a', { href: '#/', text: 'Back to the map' })));
  }
  return h('section', {}, h('h2', { text: 'Something went wrong' }), h('p', { text: error.message }));
}
