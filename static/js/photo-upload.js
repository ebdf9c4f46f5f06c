/* Progressive enhancement of forms with photos ([data-photo-upload]): before upload, each
   photo is read, turned upright (createImageBitmap with imageOrientation "from-image") and
   scaled on a canvas to the size the server keeps (data-max-side px on the long side, JPEG at
   data-quality), so a 12 MP camera photo travels as a few hundred KB instead of several MB.
   The form is then sent with XMLHttpRequest to its own action (the same endpoint as without
   JavaScript), showing the upload's progress; when the link drops, "Coba kirim lagi" sends
   the same data again, nothing retyped or chosen again. The server cleans every file anyway
   (EXIF removed, re-encoded, size limits and the decompression-bomb guard): this only saves
   the citizen's bandwidth. Without JavaScript, or in a browser without canvas support, the
   form posts as usual. Every sentence comes from data attributes (translated server-side). */
(function () {
  "use strict";
  var RESIZABLE = { "image/jpeg": true, "image/webp": true, "image/png": true };

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  }

  function size(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function supported() {
    return typeof window.createImageBitmap === "function" && typeof FormData === "function" &&
      typeof XMLHttpRequest === "function" && !!document.createElement("canvas").toBlob;
  }

  function decode(file) {
    return window.createImageBitmap(file, { imageOrientation: "from-image" })
      .catch(function () { return window.createImageBitmap(file); });
  }

  /* A photo scaled to maxSide as JPEG; the original when it is already small enough and no
     larger than the scaled copy, or when the browser cannot decode it (the server says why). */
  function shrink(file, maxSide, quality) {
    if (!RESIZABLE[file.type]) return Promise.resolve({ file: file, before: file.size });
    return decode(file).then(function (bitmap) {
      var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      var width = Math.round(bitmap.width * scale), height = Math.round(bitmap.height * scale);
      if (file.type === "image/png" && scale === 1) {  // a screenshot or map: keep it sharp
        bitmap.close && bitmap.close();
        return { file: file, before: file.size };
      }
      var canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";  // a transparent PNG becomes a JPEG on white
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      bitmap.close && bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size)) {
            resolve({ file: file, before: file.size });
            return;
          }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve({ file: new File([blob], name, { type: "image/jpeg" }), before: file.size,
                    width: width, height: height });
        }, "image/jpeg", quality);
      });
    }).catch(function () { return { file: file, before: file.size }; });
  }

  function enhance(form) {
    var status = form.querySelector("[data-upload-status]");
    var input = form.querySelector('input[type="file"][name="attachments"]');
    if (!status || !input) return;
    var progress = status.querySelector("[data-upload-progress]");
    var message = status.querySelector("[data-upload-message]");
    var list = status.querySelector("[data-prepared-files]");
    var retry = status.querySelector("[data-upload-retry]");
    var maxSide = parseInt(form.getAttribute("data-max-side"), 10) || 2560;
    var quality = parseFloat(form.getAttribute("data-quality")) || 0.82;
    var msg = function (name) { return status.getAttribute("data-msg-" + name) || ""; };
    var prepared = Promise.resolve([]);
    var pending = null;  // the FormData of the last attempt, sent again by "retry"
    var busy = false;

    function say(text) { message.textContent = text; }

    var seen = false;
    function prepare() {
      seen = true;
      var files = Array.prototype.slice.call(input.files || []);
      list.innerHTML = "";
      if (!files.length) { prepared = Promise.resolve([]); status.hidden = true; return; }
      status.hidden = false;
      retry.hidden = true;
      progress.hidden = true;
      say(msg("preparing"));
      prepared = Promise.all(files.map(function (file) {
        return shrink(file, maxSide, quality).then(function (result) {
          var item = document.createElement("li");
          item.setAttribute("data-prepared-file", "");
          item.setAttribute("data-before", String(result.before));
          item.setAttribute("data-after", String(result.file.size));
          item.textContent = file.name + ": " + (result.file === file
            ? format(msg("unchanged"), { size: size(file.size) })
            : format(msg("prepared"), { before: size(result.before), after: size(result.file.size) }));
          list.appendChild(item);
          return result.file;
        });
      })).then(function (ready) { say(""); return ready; });
    }
    input.addEventListener("change", prepare);

    function show(xhr) {
      // The server's answer is a whole page (the receipt, the draft with its messages, the
      // form with what to fix): shown as if the browser had posted the form itself.
      if (xhr.responseURL) window.history.replaceState(null, "", xhr.responseURL);
      document.open();
      document.write(xhr.responseText);
      document.close();
    }

    function failed() {
      busy = false;
      form.removeAttribute("aria-busy");
      say(msg("failed"));
      retry.hidden = false;
      retry.focus();
    }

    function send(data) {
      busy = true;
      pending = data;
      retry.hidden = true;
      status.hidden = false;
      progress.hidden = false;
      progress.value = 0;
      form.setAttribute("aria-busy", "true");
      var xhr = new XMLHttpRequest();
      // getAttribute: the form's buttons are named "action", which hides form.action
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) return;
        var percent = Math.round((event.loaded / event.total) * 100);
        progress.value = percent;
        say(format(msg("uploading"), { percent: percent + "%", sent: size(event.loaded),
                                        total: size(event.total) }));
      });
      xhr.upload.addEventListener("load", function () {
        progress.value = 100;
        say(msg("processing"));
      });
      xhr.addEventListener("load", function () {
        // 409 (the first try is still being handled), 429 and 5xx (rate limit, an outage)
        // keep this page so the same data can go again; the form's submission_key makes
        // sure a report whose first answer was lost is not filed twice
        if (xhr.status === 409 || xhr.status === 429 || xhr.status >= 500) { failed(); return; }
        show(xhr);
      });
      xhr.addEventListener("error", failed);
      xhr.addEventListener("timeout", failed);
      xhr.addEventListener("abort", failed);
      xhr.send(data);
    }

    retry.addEventListener("click", function () { if (pending && !busy) send(pending); });

    form.addEventListener("submit", function (event) {
      if (busy) { event.preventDefault(); return; }
      // Without a file there is nothing heavy to send: the browser submits as usual.
      if (!(input.files && input.files.length)) return;
      var submitter = event.submitter || null;
      event.preventDefault();
      if (!seen && input.files && input.files.length) prepare();  // files kept by the browser
      prepared.then(function (files) {
        var data;
        try { data = submitter ? new FormData(form, submitter) : new FormData(form); }
        catch (_e) { data = new FormData(form); if (submitter && submitter.name) data.append(submitter.name, submitter.value); }
        data.delete("attachments");
        files.forEach(function (file) { data.append("attachments", file, file.name); });
        send(data);
      });
    });
  }

  if (!supported()) return;
  Array.prototype.forEach.call(document.querySelectorAll("form[data-photo-upload]"), enhance);
})();
