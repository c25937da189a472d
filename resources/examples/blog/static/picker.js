// The relate-picker (app.sx, ~picker): infinite scroll over the candidates, a debounced
// filter, and click-to-relate. Every piece of HTML it inserts was rendered by the server's
// SX components: GET <base>/candidates?q=&offset= returns candidate <li>s ending with a
// "more" sentinel, and POST <base> (relate) or <base-without-relate>/unrelate return the
// new #related list.
(function () {
  'use strict';
  const picker = document.querySelector('[data-picker]');
  if (!picker) return;

  const base = picker.dataset.picker;            // "/<slug>/relate"
  const unrelateUrl = base.replace(/\/relate$/, '/unrelate');
  const list = picker.querySelector('#candidates');
  const filter = picker.querySelector('#filter');
  const status = picker.querySelector('.status');
  const FILTER_DELAY_MS = 250;
  const FETCH_HEADERS = { 'x-requested-with': 'sx-picker' };

  let generation = 0;   // bumped by every new filter; stale responses are dropped
  let loading = false;  // one page request at a time per generation
  let filterTimer = 0;

  function report(message) {
    if (status) status.textContent = message;
  }

  async function fetchText(url, options) {
    const response = await fetch(url, Object.assign({ headers: FETCH_HEADERS }, options));
    if (!response.ok) throw new Error(`${response.status} ${response.statusText} from ${url}`);
    return response.text();
  }

  function candidatesUrl(offset) {
    return `${base}/candidates?q=${encodeURIComponent(filter.value.trim())}&offset=${offset}`;
  }

  // The sentinel <li class="more" data-next="N"> loads the next page when it scrolls into view.
  const observer = new IntersectionObserver(
    (entries) => { if (entries.some((e) => e.isIntersecting)) loadMore(); },
    { root: list, rootMargin: '0px 0px 60px 0px' });

  function watchSentinel() {
    observer.disconnect();
    const sentinel = list.querySelector('li.more');
    if (sentinel) observer.observe(sentinel);
  }

  async function loadMore() {
    const sentinel = list.querySelector('li.more');
    if (!sentinel || loading) return;
    const mine = generation;
    loading = true;
    sentinel.classList.add('loading');
    try {
      const html = await fetchText(candidatesUrl(sentinel.dataset.next));
      if (mine !== generation) return;
      sentinel.remove();
      list.insertAdjacentHTML('beforeend', html);
      report('');
    } catch (err) {
      if (mine === generation) { sentinel.classList.remove('loading'); report(`Could not load more: ${err.message}`); }
    } finally {
      if (mine === generation) { loading = false; watchSentinel(); }
    }
  }

  async function refilter() {
    const mine = ++generation;
    loading = true;
    try {
      const html = await fetchText(candidatesUrl(0));
      if (mine !== generation) return;
      list.innerHTML = html;
      list.scrollTop = 0;
      report('');
    } catch (err) {
      if (mine === generation) report(`Could not filter: ${err.message}`);
    } finally {
      if (mine === generation) { loading = false; watchSentinel(); }
    }
  }

  function replaceRelated(html) {
    const current = document.getElementById('related');
    if (current) current.outerHTML = html;
  }

  async function postRelation(url, dst) {
    const body = new URLSearchParams({ dst });
    return fetchText(url, { method: 'POST', body, headers: FETCH_HEADERS });
  }

  // Click a candidate: relate it, show the new related list, drop it from the candidates.
  list.addEventListener('submit', async (event) => {
    const form = event.target.closest('form.relate');
    if (!form) return;
    event.preventDefault();
    const item = form.closest('li.candidate');
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      replaceRelated(await postRelation(base, form.elements.dst.value));
      item.remove();
      report('');
      watchSentinel();
    } catch (err) {
      button.disabled = false;
      report(`Could not relate: ${err.message}`);
    }
  });

  // Remove a relation: the post becomes a candidate again, so the list is refreshed.
  picker.addEventListener('submit', async (event) => {
    const form = event.target.closest('form.unrelate');
    if (!form) return;
    event.preventDefault();
    try {
      replaceRelated(await postRelation(unrelateUrl, form.elements.dst.value));
      refilter();
    } catch (err) {
      report(`Could not remove the relation: ${err.message}`);
    }
  });

  filter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(refilter, FILTER_DELAY_MS);
  });
  // Enter in the filter box filters at once instead of reloading the page.
  filter.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(filterTimer);
    refilter();
  });

  watchSentinel();
})();
