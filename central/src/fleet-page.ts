import { pathFor } from '../../shared/sync/api-contract';
/**
 * Issue 16: the back office's fleet page, served by the central itself (`GET /admin/fleet`), in Vietnamese.
 *
 * Three static answers (HTML, script, style) under a strict CSP: no inline script or style, requests only to
 * this origin, no framing, no forms posted anywhere. The page holds no data of its own: IT types the admin
 * token into it, the script keeps it in memory only (never in storage, never in the URL) and sends it as
 * `Authorization: Bearer …` to `GET /api/v1/admin/fleet` and `…/fleet.xlsx`. Kept as strings in this module so
 * that the built CLI and the packaged app carry them without a file to locate.
 */

export const fleetPageCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const fleetPageHtml = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Máy quầy — motcua</title>
<link rel="stylesheet" href="${pathFor('fleetPageStyle')}">
<script src="${pathFor('fleetPageScript')}" defer></script>
</head>
<body>
<header><h1>Các máy quầy (fleet)</h1><p class="sub">Máy trạm một cửa báo về máy chủ trung tâm mỗi lần đồng bộ.</p></header>
<main>
<form id="filters" autocomplete="off">
  <fieldset>
    <legend>Mã quản trị</legend>
    <label for="token">Mã quản trị (admin token)</label>
    <input id="token" name="token" type="password" required spellcheck="false" autocomplete="off">
    <p class="hint">Chỉ giữ trong trang này, mất khi đóng hoặc tải lại trang.</p>
  </fieldset>
  <fieldset>
    <legend>Lọc</legend>
    <label for="offlineDays">Mất liên lạc quá (ngày)</label>
    <input id="offlineDays" name="offlineDays" type="number" min="0" step="1" inputmode="numeric">
    <label for="backlogOver">Hồ sơ chưa gửi nhiều hơn</label>
    <input id="backlogOver" name="backlogOver" type="number" min="0" step="1" inputmode="numeric">
    <label for="unit">Mã đơn vị</label>
    <input id="unit" name="unit" type="text" spellcheck="false">
    <label class="check"><input id="outdated" name="outdated" type="checkbox"> Chỉ máy phiên bản cũ</label>
  </fieldset>
  <div class="actions">
    <button type="submit" id="show">Xem danh sách</button>
    <button type="button" id="export">Tải tệp Excel (XLSX)</button>
  </div>
</form>
<p id="status" role="status" aria-live="polite"></p>
<div class="table-wrap">
<table id="fleet" hidden>
  <caption id="caption"></caption>
  <thead><tr>
    <th scope="col">Đơn vị</th><th scope="col">Quầy</th><th scope="col">Tên máy</th><th scope="col">Phiên bản</th>
    <th scope="col">Liên lạc lần cuối</th><th scope="col">Hồ sơ chưa gửi</th><th scope="col">Chưa gửi lâu nhất</th>
    <th scope="col">Lỗi gần nhất</th><th scope="col">Lệch đồng hồ</th><th scope="col">Chứng thư ký hết hạn</th>
    <th scope="col">Hệ điều hành</th>
  </tr></thead>
  <tbody></tbody>
</table>
</div>
</main>
</body>
</html>
`;

export const fleetPageCss = `
:root { font-family: "Liberation Sans", Arial, sans-serif; color: #1a1a1a; background: #f6f7f9; }
body { margin: 0; }
header { background: #8c1d18; color: #fff; padding: 12px 20px; }
header h1 { margin: 0; font-size: 22px; }
header .sub { margin: 4px 0 0; font-size: 14px; opacity: .9; }
main { padding: 16px 20px; }
form { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
fieldset { border: 1px solid #c9ccd1; border-radius: 6px; padding: 8px 12px; display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; background: #fff; }
legend { font-weight: bold; padding: 0 4px; }
label { font-size: 14px; }
input[type=number] { width: 6em; }
input, button { font-size: 15px; padding: 5px 8px; }
.hint { flex-basis: 100%; margin: 0; font-size: 12px; color: #555; }
.check { display: flex; gap: 4px; align-items: center; }
.actions { display: flex; gap: 8px; }
button { background: #8c1d18; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button#export { background: #2b5d34; }
button:focus-visible, input:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
#status { min-height: 1.4em; font-size: 14px; }
#status.error { color: #a00; font-weight: bold; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; font-size: 13px; width: 100%; }
caption { text-align: left; padding: 6px 0; font-weight: bold; }
th, td { border: 1px solid #d5d8dc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef0f3; position: sticky; top: 0; }
td.num { text-align: right; }
tr.offline td { background: #fdecea; }
tr.outdated td.version, td.warn { color: #a00; font-weight: bold; }
.unit-name { display: block; color: #555; font-size: 12px; }
`;

/** Plain browser script (no modules, no dependencies). */
export const fleetPageScript = `'use strict';
(function () {
  var token = '';
  var form = document.getElementById('filters');
  var statusLine = document.getElementById('status');
  var table = document.getElementById('fleet');
  var tbody = table.querySelector('tbody');
  var caption = document.getElementById('caption');
  var tz = { timeZone: 'Asia/Ho_Chi_Minh', hour12: false };

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? 'error' : '';
  }
  function when(iso) {
    return iso ? new Date(iso).toLocaleString('vi-VN', tz) : '';
  }
  function duration(seconds) {
    var s = Math.abs(Math.round(seconds));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d > 0) return d + ' ngày ' + h + ' giờ';
    if (h > 0) return h + ' giờ ' + m + ' phút';
    if (m > 0) return m + ' phút';
    return s + ' giây';
  }
  function query() {
    var params = new URLSearchParams();
    var offline = form.elements.offlineDays.value.trim();
    var backlog = form.elements.backlogOver.value.trim();
    var unit = form.elements.unit.value.trim();
    if (offline !== '') params.set('offlineDays', offline);
    if (backlog !== '') params.set('backlogOver', backlog);
    if (unit !== '') params.set('unit', unit);
    if (form.elements.outdated.checked) params.set('outdated', 'true');
    var text = params.toString();
    return text ? '?' + text : '';
  }
  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function explain(status, body) {
    if (status === 401) return 'Mã quản trị không đúng. Kiểm tra lại mã (tệp admin-token trong thư mục dữ liệu của máy chủ).';
    if (status === 429) return 'Gửi quá nhiều yêu cầu. Đợi một phút rồi thử lại.';
    if (status === 400) return 'Bộ lọc không hợp lệ' + (body && body.details && body.details.issue ? ': ' + body.details.issue : '') + '.';
    return 'Máy chủ trả lời lỗi ' + status + '. Thử lại sau; nếu vẫn lỗi, xem nhật ký của máy chủ.';
  }
  function readToken() {
    token = form.elements.token.value.trim();
    // The field is emptied: the token lives in this closure only.
    form.elements.token.value = '';
    form.elements.token.placeholder = token ? '(đã nhập)' : '';
    form.elements.token.required = !token;
  }
  function render(data) {
    tbody.textContent = '';
    var offlineLimit = form.elements.offlineDays.value.trim();
    for (var i = 0; i < data.counters.length; i++) {
      var c = data.counters[i];
      var tr = document.createElement('tr');
      var lastMs = c.lastContactAt ? Date.parse(data.generatedAt) - Date.parse(c.lastContactAt) : null;
      if (lastMs === null || (offlineLimit !== '' && lastMs > Number(offlineLimit) * 86400000)) tr.className = 'offline';
      if (c.outdated) tr.className += ' outdated';
      var unitCell = cell(tr, c.unit.code);
      var unitName = document.createElement('span');
      unitName.className = 'unit-name';
      unitName.textContent = c.unit.name;
      unitCell.appendChild(unitName);
      cell(tr, c.counterNo, 'num');
      cell(tr, c.deviceName);
      cell(tr, c.appVersion === null ? 'chưa báo' : c.appVersion + (c.outdated ? ' (cũ)' : ''), 'version');
      cell(tr, c.lastContactAt ? when(c.lastContactAt) + ' (' + duration(lastMs / 1000) + ' trước)' : 'chưa bao giờ');
      cell(tr, c.backlog === null ? '' : c.backlog + (c.failed ? ' (' + c.failed + ' bị từ chối)' : ''), 'num');
      cell(tr, c.oldestUnsentAgeSeconds === null ? '' : duration(c.oldestUnsentAgeSeconds), 'num');
      cell(tr, c.lastErrorCode ? c.lastErrorCode + ' — ' + when(c.lastErrorAt) : '');
      var skew = c.clockSkewMs === null ? '' : (c.clockSkewMs >= 0 ? 'nhanh ' : 'chậm ') + duration(c.clockSkewMs / 1000);
      cell(tr, skew, c.clockSkewMs !== null && Math.abs(c.clockSkewMs) > 300000 ? 'warn' : '');
      var expiring = c.signingCertificateNotAfter && Date.parse(c.signingCertificateNotAfter) - Date.parse(data.generatedAt) < 30 * 86400000;
      cell(tr, when(c.signingCertificateNotAfter), expiring ? 'warn' : '');
      cell(tr, c.platform);
      tbody.appendChild(tr);
    }
    caption.textContent = data.counters.length + ' / ' + data.total + ' máy quầy' + (data.outdatedBelow ? ' — phiên bản tối thiểu ' + data.outdatedBelow : '') + ' — lập lúc ' + when(data.generatedAt);
    table.hidden = false;
  }
  function call(path) {
    return fetch(path + query(), { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (form.elements.token.value.trim()) readToken();
    if (!token) { say('Nhập mã quản trị trước.', true); form.elements.token.focus(); return; }
    say('Đang tải…', false);
    call('${pathFor('adminFleet')}').then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) {
        if (!res.ok) { say(explain(res.status, body), true); return; }
        render(body);
        say('Đã tải ' + body.counters.length + ' máy quầy.', false);
      });
    }).catch(function () { say('Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.', true); });
  });
  document.getElementById('export').addEventListener('click', function () {
    if (form.elements.token.value.trim()) readToken();
    if (!token) { say('Nhập mã quản trị trước.', true); form.elements.token.focus(); return; }
    say('Đang tạo tệp Excel…', false);
    call('${pathFor('adminFleetXlsx')}').then(function (res) {
      if (!res.ok) return res.json().catch(function () { return null; }).then(function (body) { say(explain(res.status, body), true); });
      return res.blob().then(function (blob) {
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = 'may-quay-' + new Date().toISOString().slice(0, 10) + '.xlsx';
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
        say('Đã tải tệp Excel.', false);
      });
    }).catch(function () { say('Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.', true); });
  });
})();
`;
