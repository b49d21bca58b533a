// The progress bar of a holders import: polls the JSON progress every second, reloads when done.
(function () {
  var box = document.querySelector("[data-import-progress]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("[data-progress-bar]");
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function poll() {
    fetch(box.dataset.importProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var percent = data.total ? Math.round((100 * data.done) / data.total) : 0;
        bar.style.width = percent + "%";
        bar.textContent = format.format(data.done) + " / " + format.format(data.total);
        box.setAttribute("aria-valuenow", data.done);
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  poll();
})();
