// The only script besides htmx. No inline scripts anywhere and no eval: the CSP forbids them.
// Forms that destroy or retire something ask for confirmation through a normal page
// (works without JavaScript); here: focus on errors, the print button, messages for
// failed requests, drafts of what the user types, and a question before leaving it.
(function () {
  "use strict";

  // Focus the first error after a swap.
  document.addEventListener("htmx:afterSwap", function (event) {
    var invalid = event.detail.target.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }
  });

  // Print pages: the "In" button (a CSP-safe replacement for onclick="print()").
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // ---------------------------------------------------------------------------------
  // Failed requests are never silent. htmx swaps 2xx, 409 and 422 answers (base.html);
  // any other error (403, 413, 503 during a restore, 500…) leaves the page and its
  // typing as they are and shows the error page's message in the toast region.
  function toast(message) {
    var region = document.getElementById("app-toast");
    if (!region) { window.alert(message); return; }
    region.textContent = "";
    var text = document.createElement("p");
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "link";
    close.textContent = "Đóng";
    close.addEventListener("click", function () { region.hidden = true; });
    region.appendChild(text);
    region.appendChild(close);
    region.hidden = false;
  }

  function errorMessage(xhr) {
    // The error page's own message (errors/error.html), not a flash or a breadcrumb.
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var line = doc.querySelector("main > section p") || doc.querySelector("main h1") || doc.querySelector("p");
    var message = line ? line.textContent.trim() : "";
    return message || "Thao tác chưa thực hiện được (lỗi " + xhr.status + "). Vui lòng thử lại.";
  }

  document.addEventListener("htmx:responseError", function (event) {
    toast(errorMessage(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Không kết nối được máy chủ. Thao tác chưa được ghi; nội dung bạn nhập vẫn còn trên trang. Vui lòng thử lại.");
  });
  document.addEventListener("htmx:beforeSend", function () {
    var region = document.getElementById("app-toast");
    if (region) { region.hidden = true; }
  });

  // ---------------------------------------------------------------------------------
  // Drafts. A form marked data-keep-draft="<key>" is copied into the browser's storage
  // as the user types (with its fields outside the form, form="…"), and the copy stays
  // until the server confirms that form's save: a 2xx answer to its own request. When
  // the form shows up again holding other values (after logging in again, a reload, a
  // refused save) the copy is put back, with a notice and a button to discard it.
  // Hidden fields marked data-draft-base (the version the form was opened at) travel
  // with the copy, so a restored text saved over someone else's save is a conflict
  // page showing both, never a silent overwrite.
  // sessionStorage unless data-draft-storage="local": it is the tab's own and is gone
  // when the tab closes. Criticism notes are sensitive: their forms use it, so no copy
  // outlives the tab. The minutes use localStorage (they survive a closed tab or a crash).
  var PREFIX = "draft:";
  var MAX_AGE = 14 * 24 * 3600 * 1000;
  var SKIPPED = ["hidden", "submit", "button", "reset", "file", "password", "image"];

  function storage(form) {
    try {
      return form.getAttribute("data-draft-storage") === "local" ? window.localStorage : window.sessionStorage;
    } catch (e) {
      return null;  // storage disabled: the page works, without drafts
    }
  }
  function keyOf(form) { return PREFIX + form.getAttribute("data-keep-draft"); }
  function isBase(el) { return el.type === "hidden" && el.hasAttribute("data-draft-base"); }
  function isKept(el) {
    if (!el.name || el.disabled) { return false; }
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
    return el.tagName === "INPUT" && (SKIPPED.indexOf(el.type) < 0 || isBase(el));
  }
  function fieldsOf(form) { return Array.prototype.filter.call(form.elements, isKept); }
  function nameOf(el) { return el.type === "radio" || el.type === "checkbox" ? el.name + "=" + el.value : el.name; }
  function valueOf(el) { return el.type === "radio" || el.type === "checkbox" ? el.checked : el.value; }
  function setValue(el, value) {
    if (el.type === "radio" || el.type === "checkbox") { el.checked = value; } else { el.value = value; }
  }
  function same(a, b) {
    var clean = function (v) { return typeof v === "string" ? v.replace(/\r\n/g, "\n").trim() : v; };
    return clean(a) === clean(b);
  }

  function read(form) {
    var store = storage(form);
    try {
      var draft = store && JSON.parse(store.getItem(keyOf(form)) || "null");
      return draft && draft.values && Date.now() - draft.at < MAX_AGE ? draft : null;
    } catch (e) {
      return null;
    }
  }
  function write(form) {
    var store = storage(form);
    var draft = { at: Date.now(), values: {}, base: {} };
    fieldsOf(form).forEach(function (el) { (isBase(el) ? draft.base : draft.values)[nameOf(el)] = valueOf(el); });
    try { if (store) { store.setItem(keyOf(form), JSON.stringify(draft)); } } catch (e) { /* storage full */ }
  }
  function drop(form) {
    var store = storage(form);
    try { if (store) { store.removeItem(keyOf(form)); } } catch (e) { /* storage disabled */ }
  }

  function notice(form, at, undo) {
    var box = document.createElement("div");
    box.className = "alert alert-warn draft-notice";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = "Đã khôi phục nội dung chưa lưu (nhập lúc " + new Date(at).toLocaleString("vi-VN") +
      ") trên máy này. Nội dung này chưa được ghi: xem lại rồi bấm lưu.";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.setAttribute("data-draft-discard", "");
    discard.textContent = "Bỏ nội dung khôi phục";
    discard.addEventListener("click", function () {
      undo.forEach(function (pair) { setValue(pair[0], pair[1]); });
      drop(form);
      form.draftDirty = false;
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  function restore(form) {
    var draft = read(form);
    if (!draft) { drop(form); return; }
    form.draftDirty = true;  // typed and not confirmed saved, whether shown or put back
    var undo = [];
    fieldsOf(form).forEach(function (el) {
      var name = nameOf(el);
      if (!isBase(el) && name in draft.values && !same(valueOf(el), draft.values[name])) {
        undo.push([el, valueOf(el)]);
        setValue(el, draft.values[name]);
      }
    });
    if (!undo.length) { return; }  // the page already shows it (a form sent back refused)
    fieldsOf(form).forEach(function (el) {
      if (isBase(el) && nameOf(el) in draft.base) {
        undo.push([el, el.value]);
        el.value = draft.base[nameOf(el)];
      }
    });
    var details = form.closest("details");
    if (details) { details.open = true; }
    notice(form, draft.at, undo);
  }

  function draftForm(el) {
    var form = el && (el.form || (el.closest && el.closest("form")));
    return form && form.hasAttribute("data-keep-draft") ? form : null;
  }
  function typed(event) {
    var form = draftForm(event.target);
    if (form && isKept(event.target)) {
      form.draftDirty = true;
      write(form);
    }
  }
  document.addEventListener("input", typed);
  document.addEventListener("change", typed);

  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (!root.querySelectorAll) { return; }
    var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-keep-draft]"));
    if (root.matches("form[data-keep-draft]")) { forms.push(root); }
    forms.forEach(restore);
  });

  // The forms a request saves: its own, and one it includes (the adopt form brings the
  // minutes editor's fields along).
  function savedBy(elt) {
    var forms = [draftForm(elt)];
    var include = elt.getAttribute && elt.getAttribute("hx-include");
    if (include) { forms.push(draftForm(document.querySelector(include))); }
    return forms.filter(Boolean);
  }
  function confirmed(xhr) {
    return xhr.status >= 200 && xhr.status < 300 && xhr.status !== 204 && !xhr.getResponseHeader("HX-Redirect");
  }
  // Before the swap, so the fresh (empty) form that follows a save finds no copy.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (elt && confirmed(event.detail.xhr)) {
      savedBy(elt).forEach(function (form) { drop(form); form.draftDirty = false; });
    }
  });

  // ---------------------------------------------------------------------------------
  // Member search posts the name typed (_macros/forms.html search_box), so the address
  // never holds it. Going back (or forward) to a search page puts this tab's last search
  // back from sessionStorage and runs it again; the copy ends with the tab.
  var SEARCH = "search:";
  function searchKey(input) {
    var form = input.form;
    return form && form.hasAttribute("data-remember-search") && input.type === "search"
      ? SEARCH + form.getAttribute("data-remember-search") : null;
  }
  document.addEventListener("input", function (event) {
    var key = searchKey(event.target);
    if (!key) { return; }
    try {
      if (event.target.value.trim()) { window.sessionStorage.setItem(key, event.target.value); }
      else { window.sessionStorage.removeItem(key); }
    } catch (e) { /* storage disabled: nothing is remembered */ }
  });
  function restoreSearches() {
    document.querySelectorAll("form[data-remember-search] input[type=search]").forEach(function (input) {
      var value = null;
      try { value = window.sessionStorage.getItem(searchKey(input)); } catch (e) { return; }
      if (value && !input.value) {
        input.value = value;
        htmx.trigger(input, "search");
      }
    });
  }
  // htmx restores history by fetching the page again (it keeps no copies).
  document.addEventListener("htmx:historyRestore", restoreSearches);
  // A whole page reached through back/forward (no-store pages are never in bfcache).
  document.addEventListener("htmx:load", function (event) {
    var entry = window.performance.getEntriesByType && window.performance.getEntriesByType("navigation")[0];
    if (event.detail.elt === document.body && entry && entry.type === "back_forward") { restoreSearches(); }
  });

  // ---------------------------------------------------------------------------------
  // Leaving a page with unsaved changes asks first: closing or reloading the tab, and
  // a boosted link or form that would replace the page. Sending the changed form
  // itself (or one that saves it) is not leaving.
  var LEAVE = "Nội dung bạn nhập chưa được lưu. Vẫn rời khỏi trang này?";
  var sending = false;

  function unsaved() {
    return Array.prototype.filter.call(
      document.querySelectorAll("form[data-keep-draft], form[data-warn-unsaved]"),
      function (form) { return form.draftDirty; }
    );
  }
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { sending = true; }  // a plain form: the page is sent
  });
  // An ended session sends the page to the login page: the draft stays, no question.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    if (event.detail.xhr.getResponseHeader("HX-Redirect")) { sending = true; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!sending && unsaved().length) {
      event.preventDefault();
      event.returnValue = LEAVE;
    }
    sending = false;
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!event.detail.boosted) { return; }
    var elt = event.detail.elt;
    var saving = savedBy(elt);
    var changed = unsaved().filter(function (form) { return saving.indexOf(form) < 0; });
    if (changed.length && !window.confirm(LEAVE)) {
      event.preventDefault();
      return;
    }
    changed.forEach(function (form) { form.draftDirty = false; });  // asked once
  });
})();
