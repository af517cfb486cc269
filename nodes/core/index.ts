/** The runtime-neutral core: no n8n or Node-RED import below this folder. */
export * from './result';
export * from './spec';
export * from './samples';
export * from './transport';
export * from './rules';
export * from './validate';
export * from './redact';
export * from './classify';
export * from './run';
export * from './chain';
export { seal, unseal, isSealed } from './seal';
export { verhoeffValid, verhoeffCheckDigit } from './verhoeff';
export * from './url';
export * from './credential-test';
export { isSecretField, otpCodeField } from './fields';
export * from './wait';
export * from './wait-page';
