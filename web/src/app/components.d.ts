// Element Plus's components as global template components (the build imports each on demand).
/// <reference types="element-plus/global" />
export {};
