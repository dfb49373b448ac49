/** Messages for the error codes added by the signing core (merged into the catalog by the lead). */
export const messagesSigning = {
  vi: {
    SIGNER_KEYSTORE_CORRUPT: 'Tệp chữ ký số bị hỏng hoặc không phải tệp PKCS#12 (.p12/.pfx). Hãy liên hệ bộ phận CNTT.',
    PDF_ALREADY_SIGNED:
      'Tệp PDF này đã có chữ ký số; ký thêm sẽ làm hỏng chữ ký cũ. Hãy dùng bản chưa ký, hoặc giữ nguyên tệp và không ký lại.',
  },
  en: {
    SIGNER_KEYSTORE_CORRUPT: 'The signing key file is damaged or is not a PKCS#12 (.p12/.pfx) file. Contact IT.',
    PDF_ALREADY_SIGNED:
      'This PDF already carries a digital signature; signing it again here would break that signature. Use an unsigned copy, or keep the file as it is.',
  },
} as const;
