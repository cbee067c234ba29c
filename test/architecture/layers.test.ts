import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';
import { collectImports, type ImportEdge } from './imports.js';

/**
 * The layer rules of ../shared/docs/ARCHITECTURE.md, enforced: a layer break fails `npm test`.
 *   main/api  → zod only
 *   main/*    → main/*, Node, never electron/React/renderer
 *   renderer/ → main/api and its own code, browser packages, never Node
 *   only main/db/connection.ts imports better-sqlite3
 */
const edges = collectImports(projectRoot, ['main', 'renderer', 'electron']);
const isTest = (e: ImportEdge) => /\.test\.tsx?$/.test(e.from);
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
const show = (list: ImportEdge[]) => list.map((e) => `${e.from} imports ${e.specifier}`);

describe('layer rules', () => {
  it('finds the source files it checks', () => {
    expect(edges.some((e) => e.from.startsWith('main/api/'))).toBe(true);
    expect(edges.some((e) => e.from.startsWith('main/db/'))).toBe(true);
  });

  it('main/ never imports electron, React, MUI or the renderer', () => {
    const bad = edges.filter(
      (e) =>
        e.from.startsWith('main/') &&
        (['electron', 'react', 'react-dom', '@mui/material', '@emotion/react', 'i18next', 'react-i18next'].includes(packageOf(e.specifier)) ||
          e.target?.startsWith('renderer/') ||
          e.target?.startsWith('electron/')),
    );
    expect(show(bad)).toEqual([]);
  });

  it('main/api (the contract) imports only zod and itself', () => {
    const bad = edges.filter(
      (e) => e.from.startsWith('main/api/') && !isTest(e) && !(e.specifier === 'zod' || e.target?.startsWith('main/api/')),
    );
    expect(show(bad)).toEqual([]);
  });

  it('renderer/ imports only the contract, its own code and browser packages — never Node', () => {
    const bad = edges.filter((e) => {
      if (!e.from.startsWith('renderer/')) return false;
      if (e.target) return !(e.target.startsWith('renderer/') || e.target.startsWith('main/api/'));
      if (isTest(e)) return false; // component tests run in Vitest and may use its helpers
      return nodeBuiltins.has(e.specifier) || ['better-sqlite3', 'onnxruntime-node', 'sharp', 'electron', 'ws'].includes(packageOf(e.specifier));
    });
    expect(show(bad)).toEqual([]);
  });

  it('only main/db/connection.ts imports better-sqlite3 (the database layer tests aside)', () => {
    const importers = [
      ...new Set(edges.filter((e) => e.specifier === 'better-sqlite3' && !(isTest(e) && e.from.startsWith('main/db/'))).map((e) => e.from)),
    ];
    expect(importers).toEqual(['main/db/connection.ts']);
  });

  it('electron/ reaches the core only through main/ modules, never the renderer', () => {
    const bad = edges.filter((e) => e.from.startsWith('electron/') && !isTest(e) && e.target?.startsWith('renderer/') && !e.target.startsWith('renderer/transport/'));
    expect(show(bad)).toEqual([]);
  });
});
