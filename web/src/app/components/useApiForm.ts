/**
 * A form that talks to the API: its model, whether it is sending, the last error and the
 * failing fields by name (for `<el-form-item :error="form.fieldError('title')">`). A failed
 * request never touches the model: what the user typed stays, whatever the API answered.
 */
import { computed, reactive, ref, type UnwrapRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError, fieldMessageIn, REQUIRED_MESSAGE } from '../api/errors';

export const useApiForm = <T extends object>(initial: T) => {
  const { locale } = useI18n();
  const model = reactive({ ...initial }) as UnwrapRef<T>;
  const error = ref<unknown>(null);
  const sending = ref(false);
  const fields = computed(() => (error.value instanceof ApiError ? error.value.fields : {}));

  /** Runs one request; true when it succeeded. On failure the error is kept and the model is not touched. */
  const submit = async (request: () => Promise<unknown>): Promise<boolean> => {
    if (sending.value) return false;
    sending.value = true;
    error.value = null;
    try {
      await request();
      return true;
    } catch (e) {
      error.value = e;
      return false;
    } finally {
      sending.value = false;
    }
  };

  /** The API's message for a field; a field left empty is simply required (the API's message is generic). */
  const fieldError = (name: string): string => {
    const m = fields.value[name];
    if (!m) return '';
    const value = (model as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.trim() === '')
      return locale.value.startsWith('zh') ? REQUIRED_MESSAGE.zh : REQUIRED_MESSAGE.en;
    return fieldMessageIn(m, locale.value);
  };

  /** Replaces the model's values (e.g. after a reload the user asked for). */
  const reset = (values: Partial<T>) => {
    Object.assign(model as object, values);
    error.value = null;
  };

  return { model, error, sending, submit, fieldError, reset };
};
