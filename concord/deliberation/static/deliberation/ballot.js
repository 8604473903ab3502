// The voting page with a script: a vote is posted with fetch and its answer carries the next statement, which
// replaces the shown one in place (one request per vote, as Pol.is's client does). Without a script, or when
// anything fails, the form posts as written and the server redirects to the next statement.
(function () {
  var form = document.querySelector("form.vote-form");
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var text = form.querySelector(".statement-text");
  var hidden = form.querySelector('input[name="statement"]');
  var left = document.querySelector(".ballot .left");
  var busy = false;

  function showError(message) {
    var box = document.querySelector(".ballot p.error");
    if (!box) {
      box = document.createElement("p");
      box.className = "error";
      box.setAttribute("role", "alert");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = message;
  }

  function plainPost(value) {
    // The clicked button's value travels in a hidden field, as the button itself would have sent it.
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "value";
    field.value = value;
    form.appendChild(field);
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.value) return; // a browser without `submitter`: the plain post
    event.preventDefault();
    if (busy) return; // a double tap votes once
    busy = true;
    // Form-encoded like the plain post, which Django reads faster than a multipart body.
    var body = new URLSearchParams(new FormData(form));
    body.append("value", button.value);
    fetch(window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 429) {
          // Too many votes: say so and how long to wait, as the plain page would; nothing was recorded.
          return response.json().then(function (refused) {
            showError(refused.error);
            busy = false;
            return null;
          });
        }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (next) {
        if (next === null) return;
        if (!next.statement) {
          window.location.reload(); // every statement voted on: the page says so
          return;
        }
        var shown = document.querySelector(".ballot p.error");
        if (shown) shown.parentNode.removeChild(shown);
        hidden.value = next.statement.id;
        text.textContent = next.statement.text;
        text.setAttribute("lang", next.statement.language);
        if (left) left.textContent = next.left_text;
        busy = false;
      })
      .catch(function () {
        plainPost(button.value);
      });
  });
})();
