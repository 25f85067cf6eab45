/**
 * Languages: zh-CN first, English one click away; the choice is remembered (localStorage holds
 * only the language) and `<html lang>` follows it. Each area brings its own messages, under its name.
 */
import { createI18n } from 'vue-i18n';
import type { Area, Messages } from '../area';
import { shell } from './shell';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'gonghui.locale';

const stored = (): Locale => {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
};

export const buildMessages = (areas: readonly Area[]) => {
  const out: Record<Locale, Messages> = { 'zh-CN': { ...shell['zh-CN'] }, en: { ...shell.en } };
  for (const area of areas) {
    out['zh-CN'][area.name] = area.messages['zh-CN'];
    out.en[area.name] = area.messages.en;
  }
  return out;
};

export const createAppI18n = (areas: readonly Area[], locale: Locale = stored()) => {
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: buildMessages(areas),
    missingWarn: false,
    fallbackWarn: false,
  });
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  return i18n;
};

export type AppI18n = ReturnType<typeof createAppI18n>;

/** Switches the language: `useI18n()` (or `i18n.global`) and the new locale. */
export const setLocale = (composer: { locale: { value: string } }, locale: Locale) => {
  composer.locale.value = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {}
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
};
