export * from './lab';
export * from './lab-index';
export * from './errors';
