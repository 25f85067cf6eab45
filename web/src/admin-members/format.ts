/** How the members pages show money, dates, statuses and who may change what. */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { session } from '../app/auth/session';

/** Fen as yuan, the way people read money: ¥1,200.00. */
export const yuan = (fen: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100);

/** An instant as a Shanghai date and time. */
export const when = (at: string, locale: string) =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(at));

/** This year in Shanghai (care years are Shanghai years). */
export const thisYear = (now = new Date()) =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));

/** Labels the pages share: a member status, a column of the import file, an enrolment or leaving reason. */
export const useLabels = () => {
  const { t, te } = useI18n();
  const status = (s: string | null | undefined) =>
    s ? (te(`members.status.${s}`) ? t(`members.status.${s}`) : s) : t('adminMembers.detail.none');
  const column = (field: string) => {
    const key = `adminMembers.columns.${field === '(row)' ? 'row' : field}`;
    return te(key) ? t(key) : field;
  };
  const reason = (r: string) => (te(`adminMembers.reason.${r}`) ? t(`adminMembers.reason.${r}`) : r);
  return { status, column, reason };
};

/** What the signed-in user may do here: the chair and admins see every branch and map departments. */
export const useAccess = () => {
  const manager = computed(
    () => session.principal?.roles.some((r) => r === 'chair' || r === 'admin') ?? false,
  );
  const officerBranch = computed(() => (manager.value ? undefined : session.principal?.branch));
  return { manager, officerBranch };
};
