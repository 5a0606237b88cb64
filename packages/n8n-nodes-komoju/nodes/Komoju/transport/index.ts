/** The only code in the package that talks to KOMOJU. */
export * from './request';
export * from './pagination';
export * from './polling';
