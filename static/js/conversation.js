// A USB scanner types the badge code and presses Enter. Enter in the code field should not
// send the form before interest is chosen: move on to the interest choice instead.
(function () {
  "use strict";
  var code = document.getElementById("code");
  if (!code) { return; }
  code.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var form = code.form;
    var chosen = form.querySelector("input[name=interest]:checked");
    if (chosen) { return; }  // everything else is filled in: let Enter send it
    event.preventDefault();
    var first = form.querySelector("input[name=interest]");
    if (first) { first.focus(); }
  });
}());
