/**
 * The user's own inputs for verification: the same files calibration reads (.npy, .pb, .json, or
 * test_data_set_N folders), plus optional labels in `labels.txt` beside them (one class index per
 * line, one line per input row, in the inputs' file order). With labels the verification reports
 * top-1/top-5 accuracy before and after; without, agreement on the user's inputs. An ImageNet-style
 * folder of class folders of images is read with a preprocessing preset, labelled by folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TransformError } from '../transformError';
import type { Feeds, InputSpec } from '../verify/feeds';
import { readCalibrationData } from './calibData';
import { imageClasses, type PreprocessPreset, readImageFolder } from './imageFolder';

export interface VerificationData {
  readonly feeds: Feeds[];
  /** Class index per row (batch entries of all samples, in order), when labels.txt exists. */
  readonly labels?: number[];
}

export const LABELS_FILE = 'labels.txt';

export function readVerificationData(location: string, inputs: readonly InputSpec[], preset: PreprocessPreset = 'imagenet'): VerificationData {
  // ImageNet-style: class folders of images; the folder order gives the labels.
  if (imageClasses(location).length > 0) return readImageFolder(location, inputs, preset);
  const feeds = readCalibrationData(location, inputs);
  const folder = fs.existsSync(location) && fs.statSync(location).isDirectory() ? location : path.dirname(location);
  const labelsPath = path.join(folder, LABELS_FILE);
  if (!fs.existsSync(labelsPath)) return { feeds };
  const lines = fs.readFileSync(labelsPath, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const labels = lines.map((l, i) => {
    const n = Number(l);
    if (!Number.isInteger(n) || n < 0) throw new TransformError('bad-request', `${labelsPath} line ${i + 1}: expected a class index, got "${l}"`);
    return n;
  });
  const first = inputs[0]?.name;
  const rows = feeds.reduce((sum, f) => sum + (first ? (f[first]?.dims[0] ?? 1) : 1), 0);
  if (labels.length !== rows) {
    throw new TransformError('bad-request', `${labelsPath} has ${labels.length} labels for ${rows} input rows (${feeds.length} files); give one label per row, in file order`);
  }
  return { feeds, labels };
}
