/* Site-wide helpers, loaded on every page (no inline handlers: the CSP allows none).
 *
 * dj.esc(value): the one HTML escape for text that ECharts tooltips (and any other
 *   innerHTML) show; every formatter returning HTML passes user-supplied strings through it.
 * data-confirm="…" on a form: ask before submitting.
 * data-autosubmit on a select/input: submit its form when it changes.
 * data-print on a button: print the page.
 * data-copy="#id" on a button: copy the value of that field and say so.
 * data-back on a link: go back one page (its href is where to go without history).
 */
(function () {
  'use strict';
  var ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(value) {
    return value == null ? '' : String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  window.dj = { esc: esc };

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);

  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) { el.form.submit(); }
  });

  document.addEventListener('click', function (e) {
    if (!e.target.closest) { return; }
    if (e.target.closest('[data-print]')) { window.print(); return; }
    if (e.target.closest('[data-back]') && window.history.length > 1) {
      e.preventDefault(); window.history.back(); return;
    }
    var button = e.target.closest('[data-copy]');
    if (button) {
      var field = document.querySelector(button.getAttribute('data-copy'));
      if (field && navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(function () { button.textContent = '已复制'; });
      }
    }
  });
})();
