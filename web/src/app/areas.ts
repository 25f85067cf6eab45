/** Every area of the app: each `src/<area>/area.ts`, found at build time, in their order. */
import type { Area } from './area';

const modules = import.meta.glob<{ default: Area }>(['../*/area.ts', '!../app/area.ts'], { eager: true });

export const areas: Area[] = Object.values(modules)
  .map((m) => m.default)
  .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
