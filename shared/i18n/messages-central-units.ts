/** Messages for issue 17's cross-unit code findings (finding 1): lookups by a code that must name one dossier. */
export const messagesCentralUnits = {
  vi: {
    CENTRAL_CODE_AMBIGUOUS:
      'Số "{{code}}" ứng với nhiều hồ sơ ({{dossierIds}}) nên hệ thống không biết hồ sơ nào. Hãy tìm theo mã hồ sơ chính thức hoặc theo mã định danh (UUID) của hồ sơ.',
  },
  en: {
    CENTRAL_CODE_AMBIGUOUS:
      'Number "{{code}}" belongs to several dossiers ({{dossierIds}}), so the central cannot tell which one is meant. Look the dossier up by its official code or by its id (UUID).',
  },
} as const;
