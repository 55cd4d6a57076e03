/**
 * What the server and the CLI use from the language.
 */
export * from './vnet-module.js';
export * from './vnet-validator.js';
export * from './vnet-analysis.js';
export * from './vnet-lower.js';
export { VnetHoverProvider } from './vnet-hover.js';
export * from './generated/ast.js';
export * from './generated/module.js';
