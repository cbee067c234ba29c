import { describe, expect, it } from 'vitest';
import { parseResourcePath, resourcePaths } from './resources.js';

describe('resource paths', () => {
  it('parses back every path it builds', () => {
    expect(parseResourcePath(resourcePaths.thumbnail(12))).toEqual({ kind: 'thumbnail', instanceId: 12 });
    expect(parseResourcePath(resourcePaths.pixels(7))).toEqual({ kind: 'pixels', instanceId: 7 });
    expect(parseResourcePath(resourcePaths.heatmap(3, 'Pleural_Thickening'))).toEqual({ kind: 'heatmap', analysisId: 3, label: 'Pleural_Thickening' });
    expect(parseResourcePath(resourcePaths.heatmap(3, 'a b'))).toEqual({ kind: 'heatmap', analysisId: 3, label: 'a b' });
    expect(parseResourcePath(resourcePaths.export('12', 'report-12-final.pdf'))).toEqual({ kind: 'export', folder: '12', fileName: 'report-12-final.pdf' });
    expect(parseResourcePath(resourcePaths.cohortExport(4, 'cohort.csv'))).toEqual({ kind: 'cohortExport', exportId: 4, fileName: 'cohort.csv' });
  });

  it('ignores the query string and names nothing for unknown, climbing or malformed paths', () => {
    expect(parseResourcePath('/files/instances/5/pixels?token=x')).toEqual({ kind: 'pixels', instanceId: 5 });
    for (const bad of ['/files/instances/x/pixels', '/files/exports/12/..%2Fsecrets', '/files/exports/12/.hidden', '/files/exports/a/b/c.pdf', '/files/%E0%A4%A', '/index.html', '/files/instances/1/thumbnail.png/..']) {
      expect(parseResourcePath(bad), bad).toBeNull();
    }
  });
});
