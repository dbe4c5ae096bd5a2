/**
 * The `yaml` package's node guards, read once. The bundle wraps the CommonJS `yaml` package in an
 * object whose every export is a getter, so each `isMap(node)` written against the package calls
 * that getter first; these run several times per node on every scanned document.
 */
import * as yaml from 'yaml';

export const isAlias: typeof yaml.isAlias = yaml.isAlias;
export const isMap: typeof yaml.isMap = yaml.isMap;
export const isPair: typeof yaml.isPair = yaml.isPair;
export const isScalar: typeof yaml.isScalar = yaml.isScalar;
export const isSeq: typeof yaml.isSeq = yaml.isSeq;
