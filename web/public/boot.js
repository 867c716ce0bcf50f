// Starts the first screen's API requests while the app's JavaScript is still loading
// (a classic script in <head>, run before the bundle; the CSP allows no inline script).
// The app's API client takes these responses instead of asking again (src/api/early.ts).
// Keep the URLs exactly as the client builds them.
(function () {
  try {
    var path = location.pathname;
    if (/^\/(sign-in|register)(\/|$)/.test(path)) return;
    var urls = ['/api/v1/auth/me'];
    var m;
    if (path === '/' || /^\/projects\/?$/.test(path)) urls.push('/api/v1/projects');
    else if ((m = /^\/projects\/([^/]+)\/?$/.exec(path))) urls.push('/api/v1/projects/' + m[1]);
    else if ((m = /^\/datasets\/([^/]+)(\/[^/]*)?\/?$/.exec(path))) {
      urls.push('/api/v1/datasets/' + m[1]);
      // The grid's first page of rows: it does not need the dataset record first.
      if (!m[2] || m[2] === '/') urls.push('/api/v1/datasets/' + m[1] + '/rows?offset=0&limit=200');
    }
    var responses = {};
    urls.forEach(function (url) {
      // No request headers: a `Link: <url>; rel=preload; as=fetch; crossorigin` on the page's
      // response (which starts the request earlier still) is taken only by an identical
      // request, and the API answers JSON anyway.
      responses[url] = fetch(url, { credentials: 'same-origin' });
      responses[url].catch(function () {});
    });
    window.__dmEarly = { at: Date.now(), responses: responses };
  } catch (e) {
    /* the app fetches everything itself */
  }
})();
