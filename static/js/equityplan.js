// Behaviour the pages share, kept out of the HTML so the Content-Security-Policy allows no inline script.
// A <select data-submit-on-change> sends its form when a choice is made (language, filters).
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});
