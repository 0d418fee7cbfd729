export * from './commands';
export * from './apply';
export * from './permissions';
export * from './student';
