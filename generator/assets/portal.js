/* Advocacy Portal: progress, role choice and knowledge checks live in the browser only. */
(function () {
  "use strict";
  document.documentElement.classList.add("portal-js");
})();
