export * from './parse';
export * from './validate';
export * from './serialize';
export * from './config-settings';
export { MAX_LAB_BYTES } from './yaml-source';
export * from './run';
export { matchCaptures } from './captures-filter';
export * from './grade';
