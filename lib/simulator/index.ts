export * from './adsets';
export * from './curves';
export * from './delivery';
export * from './ledger';
export * from './market';
export * from './restatement';
export * from './rng';
export * from './server';
