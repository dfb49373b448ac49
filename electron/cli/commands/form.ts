/**
 * `motcua form <mau01..mau07> --data <file.json> --out <file.pdf> [--legal-basis 03/2025/TT-VPCP]`: renders
 * one of the official forms from a JSON file, with the same code the app uses (default: the 2025 set;
 * `--legal-basis 01/2018/TT-VPCP` for the 2018 set, mau01..mau06). Exit 0 on success; 2 on bad
 * usage, an unreadable or invalid data file (the message names the field), or an unwritable output.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import { describeError } from '../../../shared/i18n/error-messages';
import { fontFiles, type FormFonts } from '../../../shared/pdf/fonts';
import { cliFontDir } from '../font-dir';
import { DEFAULT_LEGAL_BASIS, type FormDefinition, formIds, formSets, isFormId, isLegalBasis, renderForm } from '../../../shared/pdf/forms/index';

const usage = [
  `Cách dùng: motcua form <${formIds.join('|')}> --data <tệp.json> --out <tệp.pdf> [--legal-basis ${DEFAULT_LEGAL_BASIS}]`,
  ...Object.entries(formSets).flatMap(([basis, set]) => [`  ${basis}:`, ...Object.entries(set).map(([id, form]: [string, FormDefinition]) => `    ${id}  ${form.title}`)]),
].join('\n');

async function loadFonts(): Promise<FormFonts> {
  const dir = cliFontDir(import.meta.url);
  return {
    regular: new Uint8Array(await readFile(path.join(dir, fontFiles.regular))),
    bold: new Uint8Array(await readFile(path.join(dir, fontFiles.bold))),
  };
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { data: { type: 'string' }, out: { type: 'string' }, 'legal-basis': { type: 'string' } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const [id, ...extra] = parsed.positionals;
  const { data: dataFile, out } = parsed.values;
  if (!id || extra.length > 0 || !dataFile || !out) {
    console.error(usage);
    return 2;
  }
  const legalBasis = parsed.values['legal-basis'] ?? DEFAULT_LEGAL_BASIS;
  if (!isLegalBasis(legalBasis)) {
    console.error(`Không có bộ biểu mẫu theo căn cứ pháp lý "${legalBasis}". Có: ${Object.keys(formSets).join(', ')}.`);
    return 2;
  }
  if (!isFormId(id)) {
    console.error(`Không có mẫu "${id}".\n${usage}`);
    return 2;
  }

  let text: string;
  try {
    text = await readFile(dataFile, 'utf8');
  } catch {
    console.error(`Không đọc được tệp dữ liệu "${dataFile}".`);
    return 2;
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    console.error(`Tệp dữ liệu "${dataFile}" không phải JSON hợp lệ (${err instanceof Error ? err.message : String(err)}). Hãy sửa tệp rồi chạy lại.`);
    return 2;
  }

  let pdf: Uint8Array;
  try {
    pdf = await renderForm(id, data, await loadFonts(), legalBasis);
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`${describeError('vi', err.code, err.details)} Hãy sửa tệp "${dataFile}" rồi chạy lại.`);
      return 2;
    }
    throw err;
  }
  try {
    await writeFile(out, pdf);
  } catch {
    console.error(`Không ghi được tệp "${out}".`);
    return 2;
  }
  const form = (formSets[legalBasis] as Record<string, FormDefinition | undefined>)[id];
  console.log(`Đã tạo ${form?.title ?? id} (${id}, ${legalBasis}): ${out}`);
  return 0;
}
