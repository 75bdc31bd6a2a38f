export * from './topology.repository';
export * from './index.repository';
