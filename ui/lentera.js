// Citation markers and source links are plain fragment links inside the chat's HTML. One
// delegated listener turns a click on them into the hidden "show citation" event, so the
// passage panel is filled by the server from the session's own answers.
(() => {
  if (window.lenteraCiteListener) return;
  window.lenteraCiteListener = true;
  const PREFIX = "#lentera-cite-";
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target;
      const link = target && target.closest ? target.closest('a[href^="' + PREFIX + '"]') : null;
      if (!link) return;
      event.preventDefault();
      event.stopPropagation();
      window.lenteraPick = link.getAttribute("href").slice(PREFIX.length);
      const go = document.querySelector("#lentera-cite-go");
      if (go) go.click();
    },
    true,
  );
})();
