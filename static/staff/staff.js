// Staff pages: show the date fields of the periode picker only for a date range.
// Without JavaScript they simply stay visible.
document.querySelectorAll('select[name="periode"]').forEach(function (select) {
  var range = select.form && select.form.querySelector('.range');
  if (!range) return;
  function sync() { range.hidden = select.value !== 'rentang'; }
  select.addEventListener('change', sync);
  sync();
});

// Forms that destroy something ask first (data-confirm): an inline onsubmit
// handler would be refused by the Content-Security-Policy.
document.addEventListener('submit', function (event) {
  var message = event.target.getAttribute && event.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
});

// Bars whose length is data (IKU capaian): set here, since the policy refuses
// style attributes written into the page.
document.querySelectorAll('[data-bar]').forEach(function (bar) {
  bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.getAttribute('data-bar')) || 0)) + '%';
});
