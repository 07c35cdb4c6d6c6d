/** The model formats Joule reads: one registry of readers (registry.ts) and the loader over it. */
export { FORMAT_READERS, formatReaderFor, readModel, type FormatReader, type ReadOptions } from './registry';
export { loadModel, loadModelFromSource, aggregateWarnings, MAX_MODEL_WARNINGS, type LoadModelOptions } from './loadModel';
export { type SiblingFiles, diskSiblings, noSiblings } from './siblingFiles';
export { configJsonHints, type ConfigHint, type ConfigHintsResult } from './hfconfig/configHints';
