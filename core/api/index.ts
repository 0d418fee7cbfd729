export * from './names';
export * from './contract';
export * from './service';
export * from './persistence';
export * from './library-contract';
export { memoryPersistence } from './memory-persistence';
export * from './grading-contract';
