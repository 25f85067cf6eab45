/** Loads data for a page: `data`, `loading`, `error`, and `reload()` (retry buttons call it). */
import { type Ref, ref, shallowRef } from 'vue';

export const useLoad = <T>(load: () => Promise<T>, opts: { immediate?: boolean } = {}) => {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref<unknown>(null);
  let seq = 0;
  const reload = async () => {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const value = await load();
      if (mine === seq) data.value = value;
    } catch (e) {
      if (mine === seq) error.value = e;
    } finally {
      if (mine === seq) loading.value = false;
    }
  };
  if (opts.immediate !== false) void reload();
  return { data, loading, error, reload };
};
