import { describe, expect, it } from 'vitest';
import { LruCache } from './lruCache.js';

describe('LruCache', () => {
  it('evicts the least recently used entries once over its weight', () => {
    const c = new LruCache<string, string>(10, (v) => v.length);
    c.set('a', 'aaaa');
    c.set('b', 'bbbb');
    expect(c.get('a')).toBe('aaaa'); // a is now the most recent
    c.set('c', 'cccc'); // 12 > 10: b goes
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('aaaa');
    expect(c.get('c')).toBe('cccc');
  });

  it('does not keep a value heavier than the whole cache', () => {
    const c = new LruCache<string, string>(3, (v) => v.length);
    c.set('big', 'xxxx');
    expect(c.size).toBe(0);
  });
});
