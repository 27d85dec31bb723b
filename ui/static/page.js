// Opens the source a clicked [n] refers to, and scrolls a highlighted quote to the middle of its article box
// whenever one is opened or rendered. Only DOM navigation: no article text passes through it.
(function () {
  function centre(mark) {
    var box = mark.closest('.article-box');
    if (box && box.offsetParent !== null) { box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3); }
  }
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.matches && d.matches('details.source') && d.open) {
      var m = d.querySelector('mark.cited'); if (m) { centre(m); }
    }
  }, true);
  document.addEventListener('click', function (e) {
    var c = e.target.closest && e.target.closest('.cite');
    if (!c) { return; }
    var n = (c.className.match(/cite-(\d+)/) || [])[1];
    var d = n && document.getElementById('source-' + n);
    if (d) { d.open = true; d.scrollIntoView({block: 'nearest'}); }
  }, true);
  new MutationObserver(function () {
    document.querySelectorAll('.autoscroll mark.cited:not([data-seen])').forEach(function (m) {
      if (m.offsetParent !== null) { m.setAttribute('data-seen', '1'); centre(m); }
    });
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true});
})();
