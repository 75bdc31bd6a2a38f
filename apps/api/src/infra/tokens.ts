/** Injection tokens for the process-wide resources the API's modules share. */
export const LOADED_CONFIG = Symbol('LOADED_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const LOGGER = Symbol('LOGGER');
