// Copy buttons in the cite box of a conference page (templates/includes/cite_box.html).
// Without this script the box still opens and its text can be selected and copied by hand.
(function () {
  "use strict";
  var box = document.querySelector("details.cite-box");
  if (!box || !navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var labels = {
    copy: box.getAttribute("data-copy-label"),
    copied: box.getAttribute("data-copied-label"),
    failed: box.getAttribute("data-failed-label"),
  };
  box.querySelectorAll(".cite-facts a, .copyable").forEach(function (element) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = labels.copy;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(element.textContent.trim()).then(
        function () { status.textContent = labels.copied; },
        function () { status.textContent = labels.failed; }
      );
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    });
    element.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
  });
})();
