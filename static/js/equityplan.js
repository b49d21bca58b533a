// Behaviour the pages share, kept out of the HTML so the Content-Security-Policy allows no inline script.
// A <select data-submit-on-change> sends its form when a choice is made (language, filters).
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});

// A person's box on a form (holders/picker.py): as one types, the page itself is asked who matches
// (?pick=<field>&q=<text>) and the answers fill the box's <datalist>; a suggestion, a holder number
// or an exact name is what the form accepts.
document.querySelectorAll("input[data-holder-pick]").forEach(function (input) {
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    var text = input.value.trim();
    if (timer) {
      clearTimeout(timer);
    }
    if (!text || /\[#\s*\d+\s*\]$/.test(text) || text === asked) {
      return;
    }
    timer = setTimeout(function () {
      asked = text;
      var params = new URLSearchParams({ pick: input.getAttribute("data-holder-pick"), q: text });
      fetch(window.location.pathname + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() !== text) {
            return; // typed on meanwhile: a later answer fills the list
          }
          list.replaceChildren();
          data.suggestions.forEach(function (label) {
            var option = document.createElement("option");
            option.value = label;
            list.appendChild(option);
          });
          list.setAttribute("data-for", text);
        })
        .catch(function () {});
    }, 200);
  });
});
