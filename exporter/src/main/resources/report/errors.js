// Runs first: every error and console.error of the page is kept, and the report script writes them into
// #report-status, where the browser test reads them.
window.__reportErrors = [];
window.addEventListener('error', function (e) { window.__reportErrors.push(String(e.message || e)); });
(function () {
    var consoleError = console.error;
    console.error = function () {
        window.__reportErrors.push(Array.prototype.map.call(arguments, String).join(' '));
        consoleError.apply(console, arguments);
    };
})();
