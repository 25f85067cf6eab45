import { computed } from 'vue';
import type { NavItem } from '../area';
import { areas } from '../areas';
import { hasAnyRole } from '../auth/roles';
import { session } from '../auth/session';

/** The navigation the signed-in user may use: every area's items, filtered by role. */
export const useNav = () =>
  computed<NavItem[]>(() =>
    session.principal
      ? areas.flatMap((a) => a.nav).filter((item) => hasAnyRole(session.principal, item.roles))
      : [],
  );
