import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { errorMessages } from '../../../shared/i18n/error-messages';
import { uiEn } from './ui-en';
import { uiVi } from './ui-vi';

export type Locale = 'vi' | 'en';

/** i18next with Vietnamese first. Error texts come from shared/ so the CLI prints the same words. */
export async function initI18n(locale: Locale): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'vi',
    interpolation: { escapeValue: false },
    resources: {
      vi: { translation: { ...uiVi, errors: errorMessages.vi } },
      en: { translation: { ...uiEn, errors: errorMessages.en } },
    },
  });
  return instance;
}
