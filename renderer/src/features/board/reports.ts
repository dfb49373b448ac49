/**
 * The register (Mẫu 06) and the weekly report from the counter's records, as PDF (the shared form layout)
 * and XLSX (exceljs). One set of rows feeds both formats, so the two never disagree.
 */
import ExcelJS from 'exceljs';
import { computeIndicators, type IndicatorRow } from '../../../../shared/domain/indicators';
import { formatVietnamDate, fromVietnamDay, toVietnamDateTime } from '../../../../shared/domain/time';
import type { Mau06Data } from '../../../../shared/pdf/forms';
import type { WeeklyReportData } from '../../../../shared/pdf/forms/weekly-report';
import type { UnitData } from '../../../../shared/pdf/forms/common';
import { computeForm07a, form07aNotes, type Form07aDossier } from '../../../../shared/domain/form-07a';
import { form07aColumns, form07aGroups, form07aGroupSpans, FORM_07A_NUMBER, FORM_07A_TITLE, type Form07aData } from '../../../../shared/pdf/forms/form-07a';
import { holderOf, type TrackedDossier } from './board-data';

export interface Period {
  readonly from: Date;
  readonly to: Date;
}

/** Monday 00:00 to Sunday 24:00 (Vietnam time) of the week holding `day`. */
export function weekOf(day: Date): Period {
  const local = toVietnamDateTime(day);
  const monday = local.dayIndex - ((local.weekday + 6) % 7);
  return { from: fromVietnamDay(monday, 0), to: new Date(fromVietnamDay(monday + 7, 0).getTime() - 1000) };
}

export function receivedIn(dossiers: readonly TrackedDossier[], period: Period): TrackedDossier[] {
  return dossiers.filter((d) => {
    const t = new Date(d.dossier.receivedAt).getTime();
    return t >= period.from.getTime() && t <= period.to.getTime();
  });
}

type RegisterEntry = Mau06Data['entries'][number];

/** Register lines, oldest first, numbered in that order. */
export function registerEntries(dossiers: readonly TrackedDossier[], decidingAgency: string): RegisterEntry[] {
  return [...dossiers]
    .sort((a, b) => a.dossier.receivedAt.localeCompare(b.dossier.receivedAt))
    .map((d, i) => ({
      sequence: i + 1,
      dossierCode: d.dossier.code,
      procedureName: d.dossier.procedure.name,
      applicantName: holderOf(d),
      // A minimised dossier (issue 17) has no address or phone left: the line shows the masked name only.
      ...(d.dossier.applicant.address ? { address: d.dossier.applicant.address } : {}),
      ...(d.dossier.applicant.phone ? { phone: d.dossier.applicant.phone } : {}),
      decidingAgency,
      receivedAt: new Date(d.dossier.receivedAt),
      appointmentAt: new Date(d.state.appointmentAt),
      ...(d.state.returned ? { returnedAt: new Date(d.state.returned.at), delivery: d.state.returned.method } : {}),
      ...(d.indicator.stoppedAt ? { note: `Dừng giải quyết theo yêu cầu (${formatVietnamDate(d.indicator.stoppedAt)})` } : {}),
    }));
}

const indicatorNotes = [
  'Đúng hạn: kết thúc xử lý không muộn hơn ngày hẹn (đã cộng thời gian chờ bổ sung, không tính thời gian đó), yêu cầu bổ sung không quá một lần và không phải xin lỗi hẹn lại.',
  'Trễ hạn: kết thúc sau ngày hẹn, bổ sung hơn một lần, có phiếu xin lỗi, hoặc chưa xong mà đã quá hẹn.',
  'Tỷ lệ đúng hạn = đúng hạn / (đúng hạn + trễ hạn); hồ sơ chưa đến hạn không tính. Tỷ lệ số hóa = hồ sơ có mọi thành phần đã nộp được số hóa / hồ sơ tiếp nhận.',
  'Hồ sơ được tính theo ngày tiếp nhận (giờ Việt Nam).',
  'Hồ sơ dừng giải quyết theo yêu cầu của người nộp (Điều 21 Nghị định 118/2025/NĐ-CP) được tính là tiếp nhận, không tính đúng hạn, trễ hạn hay chưa đến hạn.',
];

export function weeklyReportData(dossiers: readonly TrackedDossier[], unit: UnitData, period: Period, now: Date): WeeklyReportData {
  const week = receivedIn(dossiers, period).map((d) => d.indicator);
  const sections: { heading: string; rows: IndicatorRow[] }[] = [
    { heading: 'I. Theo ngày tiếp nhận', rows: computeIndicators(week, 'day', now) },
    { heading: 'II. Theo công chức tiếp nhận', rows: computeIndicators(week, 'clerk', now) },
    { heading: 'III. Theo thủ tục hành chính', rows: computeIndicators(week, 'procedure', now) },
  ];
  return {
    unit,
    date: now,
    period,
    sections: sections.map((s) => ({ heading: s.heading, rows: s.rows.map(({ key: _key, ...row }) => row) })),
    notes: indicatorNotes,
  };
}

const deliveryText = { counter: 'Trực tiếp', post: 'Bưu chính', online: 'Trực tuyến' } as const;
const dateTimeCell = (d: Date | undefined): string => {
  if (!d) return '';
  const t = toVietnamDateTime(d);
  return `${formatVietnamDate(d)} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
};

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

async function toBytes(book: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The register (Mẫu 07 of the 2025 set) as a spreadsheet: the same columns as the printed one. */
export async function registerXlsx(entries: readonly RegisterEntry[], unitName: string, period: Period): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = unitName;
  const sheet = book.addWorksheet('So theo doi ho so', { pageSetup: { orientation: 'landscape', paperSize: 9 } });
  sheet.addRow([`SỔ THEO DÕI HỒ SƠ — ${unitName}`]).font = { bold: true, size: 14 };
  sheet.addRow([`Từ ngày ${formatVietnamDate(period.from)} đến ngày ${formatVietnamDate(period.to)}`]);
  styleHeader(
    sheet.addRow(['TT', 'Mã hồ sơ', 'Tên thủ tục hành chính', 'Tên tổ chức, cá nhân', 'Địa chỉ, số điện thoại', 'Cơ quan chủ trì giải quyết', 'Ngày nhận hồ sơ', 'Ngày hẹn trả kết quả', 'Ngày trả kết quả', 'Hình thức nhận kết quả', 'Ký nhận', 'Ghi chú']),
  );
  for (const e of entries) {
    sheet.addRow([e.sequence ?? '', e.dossierCode, e.procedureName, e.applicantName, [e.address, e.phone ? `ĐT: ${e.phone}` : ''].filter(Boolean).join('; '), e.decidingAgency, dateTimeCell(e.receivedAt as Date), dateTimeCell(e.appointmentAt as Date), dateTimeCell(e.returnedAt as Date | undefined), e.delivery ? deliveryText[e.delivery] : '', '', e.note ?? '']);
  }
  [5, 26, 34, 24, 30, 24, 16, 16, 16, 12, 10, 16].forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  return toBytes(book);
}

/** The weekly report as a spreadsheet: one sheet per grouping, rates as percentages. */
export async function weeklyReportXlsx(report: WeeklyReportData, unitName: string): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = unitName;
  const period = report.period as Period;
  const names = ['Theo ngay', 'Theo cong chuc', 'Theo thu tuc'];
  report.sections.forEach((section, i) => {
    const sheet = book.addWorksheet(names[i] ?? `Phan ${i + 1}`);
    sheet.addRow([`BÁO CÁO TUẦN — ${unitName}`]).font = { bold: true, size: 14 };
    sheet.addRow([`Từ ngày ${formatVietnamDate(period.from)} đến ngày ${formatVietnamDate(period.to)} — ${section.heading}`]);
    styleHeader(sheet.addRow(['Nhóm', 'Tiếp nhận', 'Số hóa', 'Tỷ lệ số hóa', 'Đúng hạn', 'Trễ hạn', 'Chưa đến hạn', 'Tỷ lệ đúng hạn']));
    for (const r of section.rows) {
      const row = sheet.addRow([r.label, r.received, r.digitized, r.digitizationRate, r.onTime, r.late, r.pending, r.onTimeRate]);
      row.getCell(4).numFmt = '0.0%';
      row.getCell(8).numFmt = '0.0%';
      if (r.label === 'Tổng cộng') row.font = { bold: true };
    }
    sheet.addRow([]);
    for (const note of report.notes ?? []) sheet.addRow([note]);
    [40, 11, 10, 13, 11, 10, 13, 15].forEach((width, c) => (sheet.getColumn(c + 1).width = width));
  });
  return toBytes(book);
}

/**
 * A tracked dossier as form 07a counts it. Every dossier a counter holds was received at that counter, in
 * person (KenhThucHien 1): the feed carries no channel, so the online and postal columns stay empty here.
 * Stopped (8) and withdrawn (7) are read from the feed's history, else from the state row.
 */
function form07aDossierOf(d: TrackedDossier, group: string): Form07aDossier {
  const stopChange = d.history.find((c) => c.status === 7 || c.status === 8);
  const stoppedAt = stopChange?.at ?? (d.state.status === 7 || d.state.status === 8 ? d.state.updatedAt : undefined);
  return {
    group,
    channel: 'in-person',
    receivedAt: d.indicator.receivedAt,
    appointmentAt: new Date(d.state.appointmentAt),
    ...(d.indicator.finishedAt ? { finishedAt: d.indicator.finishedAt } : {}),
    ...(stoppedAt ? { stoppedAt: new Date(stoppedAt) } : {}),
    ...(d.indicator.pausedSince ? { pausedSince: d.indicator.pausedSince } : {}),
  };
}

/** Form 07a's data for a period, one row per field of procedures (the procedure's name when not in the catalog). */
export function form07aData(dossiers: readonly TrackedDossier[], unit: UnitData, period: Period, now: Date, fieldOf: (procedureCode: string) => string | undefined): Form07aData {
  const counted = dossiers.map((d) => form07aDossierOf(d, fieldOf(d.dossier.procedure.code) ?? d.dossier.procedure.name));
  return { unit, date: now, period, rows: computeForm07a(counted, period, now), notes: form07aNotes };
}

/** Form 07a as a spreadsheet: the same columns and notes as the PDF. */
export async function form07aXlsx(report: Form07aData, unitName: string): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = unitName;
  const period = report.period as Period;
  const sheet = book.addWorksheet('Bieu 07a', { pageSetup: { orientation: 'landscape', paperSize: 9 } });
  sheet.addRow([`${FORM_07A_TITLE} — ${unitName}`]).font = { bold: true, size: 14 };
  sheet.addRow([`${FORM_07A_NUMBER}. Kỳ báo cáo: từ ngày ${formatVietnamDate(period.from)} đến ngày ${formatVietnamDate(period.to)}`]);
  // Two heading rows as on the PDF: the group headings merged over their columns, then each column's own.
  const groupRow = sheet.addRow(['Lĩnh vực', ...form07aColumns.map((c) => (c.group ? form07aGroups[c.group] : c.heading))]);
  const headingRow = sheet.addRow(['Lĩnh vực', ...form07aColumns.map((c) => c.heading)]);
  styleHeader(groupRow);
  styleHeader(headingRow);
  sheet.mergeCells(groupRow.number, 1, headingRow.number, 1);
  for (const [group, first, span] of form07aGroupSpans()) {
    if (group) sheet.mergeCells(groupRow.number, first + 2, groupRow.number, first + 1 + span);
    else sheet.mergeCells(groupRow.number, first + 2, headingRow.number, first + 2);
  }
  report.rows.forEach((r, i) => {
    const row = sheet.addRow([r.label, ...form07aColumns.map((c) => c.value(r))]);
    if (i === report.rows.length - 1) row.font = { bold: true };
  });
  sheet.addRow([]);
  for (const note of report.notes ?? []) sheet.addRow([note]);
  sheet.getColumn(1).width = 34;
  form07aColumns.forEach((_, i) => (sheet.getColumn(i + 2).width = 13));
  return toBytes(book);
}
