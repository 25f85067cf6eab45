/** The year of a page in its address (?year=YYYY), this year (Shanghai) when there is none. */
import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { yearInShanghai } from './format';

export const useYear = () => {
  const route = useRoute();
  const router = useRouter();
  const asked = computed(() => {
    const raw = route.query.year;
    return typeof raw === 'string' && /^\d{4}$/.test(raw) ? Number(raw) : null;
  });
  const year = computed<number>({
    get: () => asked.value ?? yearInShanghai(),
    set: (y) => void router.replace({ query: { ...route.query, year: String(y) } }),
  });
  return { year, asked };
};
