/**
 * This app's version: package.json's, which electron-builder ships as the installed version. Vite inlines the
 * one field (a named JSON import); the rest of package.json stays out of the bundle.
 */
import { version } from '../../../package.json';

export const appVersion: string = version;
