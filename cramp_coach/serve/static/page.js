// cramp coach's page, loaded after textual.js: size the terminal for a phone (about 40 columns),
// start it once the bundled font is ready, and keep the screen awake while the app is open
// (Screen Wake Lock, where the browser offers it: it needs https or this machine's own address).
(function () {
  "use strict";
  var COLUMNS = 40;
  var CHAR_WIDTH = 0.6; // Roboto Mono's advance, in ems
  var DESKTOP_WIDTH = 800;

  function fontSize() {
    var width = window.innerWidth || 412;
    if (width >= DESKTOP_WIDTH) return 16;
    return Math.max(11, Math.min(22, Math.floor(width / COLUMNS / CHAR_WIDTH)));
  }

  var wakeLock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible" || wakeLock) return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { wakeLock = null; });
  }
  function letSleep() {
    if (wakeLock) wakeLock.release().catch(function () {});
    wakeLock = null;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !document.body.classList.contains("-closed")) keepAwake();
  });
  // Some browsers grant the lock only after a tap.
  document.addEventListener("pointerdown", function () {
    if (!document.body.classList.contains("-closed")) keepAwake();
  }, true);

  // A swipe scrolls the app's lists and long pages, as the mouse wheel does: xterm.js turns wheel
  // events into the app's scroll, but with no scrollback it does nothing with a finger's drag.
  var swipe = null;
  function cellHeight(screen) {
    var rows = document.querySelectorAll(".xterm-rows > div").length;
    return Math.max(8, rows ? screen.clientHeight / rows : 20);
  }
  document.addEventListener("touchstart", function (event) {
    var screen = event.target.closest && event.target.closest(".xterm-screen");
    if (!screen || event.touches.length !== 1) { swipe = null; return; }
    swipe = { screen: screen, y: event.touches[0].clientY, step: cellHeight(screen) };
  }, { passive: true, capture: true });
  document.addEventListener("touchmove", function (event) {
    if (!swipe || event.touches.length !== 1) return;
    var touch = event.touches[0];
    var moved = swipe.y - touch.clientY;
    while (Math.abs(moved) >= swipe.step) {
      var down = moved > 0;
      swipe.screen.dispatchEvent(new WheelEvent("wheel", {
        deltaY: down ? swipe.step : -swipe.step, deltaMode: 0,
        clientX: touch.clientX, clientY: touch.clientY, bubbles: true, cancelable: true,
      }));
      swipe.y += down ? -swipe.step : swipe.step;
      moved = swipe.y - touch.clientY;
    }
  }, { passive: true, capture: true });
  document.addEventListener("touchend", function () { swipe = null; }, { capture: true });

  var startTerminal = window.onload; // set by textual.js
  window.onload = function (event) {
    var size = fontSize();
    document.querySelectorAll(".textual-terminal").forEach(function (element) {
      element.dataset.fontSize = String(size);
    });
    new MutationObserver(function () {
      if (document.body.classList.contains("-closed")) letSleep();
    }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
    var fontReady = document.fonts && document.fonts.load ? document.fonts.load(size + "px 'Roboto Mono'") : Promise.resolve();
    fontReady.catch(function () {}).then(function () {
      if (typeof startTerminal === "function") startTerminal.call(window, event);
      keepAwake();
    });
  };
})();
