// The page's behaviour around answers: [n] markers open their quote popup on hover or focus (kept on screen,
// closed by Escape) and open their source on a click or Enter; Copy buttons put the answer's text or Markdown
// on the clipboard; a highlighted quote is scrolled to the middle of its article box when shown. Only DOM
// navigation: no article text is inserted as HTML.
(function () {
  function centre(mark) {
    var box = mark.closest('.article-box');
    if (box && box.offsetParent !== null) { box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3); }
  }
  function popup() {
    // One popup for every marker, a child of <body>: no scrolling box clips it and no panel covers it. It is
    // filled with the marker's quote as text (textContent), never as HTML.
    var p = document.getElementById('cite-popup');
    if (!p) {
      p = document.createElement('div'); p.id = 'cite-popup'; p.className = 'cite-popup'; p.setAttribute('role', 'tooltip');
      p.hidden = true; document.body.appendChild(p);
    }
    return p;
  }
  function place(cite) {
    var tip = tipOf(cite); if (!tip) { return; }
    var p = popup();
    closeAll();
    p.textContent = tip.textContent; p.hidden = false; cite.classList.add('open');
    var r = cite.getBoundingClientRect(), vw = document.documentElement.clientWidth, vh = window.innerHeight;
    var w = p.offsetWidth, h = p.offsetHeight;
    var left = Math.min(Math.max(8, r.left), Math.max(8, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > vh - 8) { top = Math.max(8, r.top - h - 6); }
    p.style.left = left + 'px'; p.style.top = top + 'px';
  }
  function tipOf(cite) {
    var t = cite.nextElementSibling; return t && t.classList.contains('tip') ? t : null;
  }
  function label(cite) {
    // The accessible name and description, set here because Gradio's sanitiser drops aria attributes.
    var n = (cite.className.match(/cite-(\d+)/) || [])[1];
    cite.setAttribute('aria-label', 'Source ' + n);
    cite.setAttribute('aria-describedby', 'cite-popup');
  }
  function closeAll() {
    document.querySelectorAll('.cite.open').forEach(function (c) { c.classList.remove('open'); });
    var p = document.getElementById('cite-popup'); if (p) { p.hidden = true; }
  }
  function openSource(cite) {
    var n = (cite.className.match(/cite-(\d+)/) || [])[1];
    var d = n && document.getElementById('source-' + n);
    if (d) { d.open = true; d.scrollIntoView({block: 'nearest'}); }
  }
  function copy(btn) {
    var src = btn.nextElementSibling, label = btn.textContent;
    var text = src && src.classList.contains('copy-src') ? src.textContent : '';
    function done() { btn.textContent = 'Copied ✓'; setTimeout(function () { btn.textContent = label; }, 1500); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var t = document.createElement('textarea'); t.value = text; t.setAttribute('readonly', '');
    t.style.position = 'fixed'; t.style.opacity = '0'; document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } finally { document.body.removeChild(t); }
  }
  document.addEventListener('mouseover', function (e) {
    var c = e.target.closest && e.target.closest('.cite'); if (c && !c.classList.contains('open')) { place(c); }
  });
  document.addEventListener('mouseout', function (e) {
    var c = e.target.closest && e.target.closest('.cite');
    if (c && document.activeElement !== c) { closeAll(); }
  });
  document.addEventListener('focusin', function (e) {
    var c = e.target.closest && e.target.closest('.cite'); if (c) { place(c); }
  });
  document.addEventListener('focusout', function (e) {
    var c = e.target.closest && e.target.closest('.cite'); if (c) { closeAll(); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { closeAll(); return; }
    var c = e.target.closest && e.target.closest('.cite');
    if (c && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); openSource(c); }
  }, true);
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('.copy-answer');
    if (b) { e.preventDefault(); copy(b); return; }
    var c = e.target.closest && e.target.closest('.cite');
    if (c) { openSource(c); }
  }, true);
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.matches && d.matches('details.source') && d.open) {
      var m = d.querySelector('mark.cited'); if (m) { centre(m); }
    }
  }, true);
  window.addEventListener('scroll', function () {  // the popup follows its marker (focus scrolls it into view)
    var c = document.querySelector('.cite.open'); if (c) { place(c); }
  }, true);
  new MutationObserver(function () {
    document.querySelectorAll('.cite:not([aria-label])').forEach(label);
    document.querySelectorAll('.autoscroll mark.cited:not([data-seen])').forEach(function (m) {
      if (m.offsetParent !== null) { m.setAttribute('data-seen', '1'); centre(m); }
    });
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true});
})();
