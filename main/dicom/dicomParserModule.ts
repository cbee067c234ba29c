import { createRequire } from 'node:module';

/**
 * dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see, and typings without a default
 * export; loading it through require keeps both the runtime and the compiler happy.
 */
const require = createRequire(import.meta.url);
const dicomParser = require('dicom-parser') as typeof import('dicom-parser');
export default dicomParser;
export type { DataSet, Element, Fragment } from 'dicom-parser';
