import { ProviderSettingSchema } from '../../api/models.js';
import { CliUsageError, type CliCommand } from '../command.js';
import { parseCommandArgs, table } from '../format.js';

export const modelsCommand: CliCommand = {
  name: 'models',
  usage: 'cxr models list | install PATH [--replace] | verify [ID] | use ID | provider auto|cuda|dml|coreml|webgpu|cpu | analyse-on-import on|off',
  summary:
    'Model packs: list them, install a pack folder, verify sha256 and the ONNX interface, choose the pack and execution provider, and whether imports analyse new images.',
  async run(args, cli) {
    const [sub, ...rest] = args;
    const { values, positional } = parseCommandArgs(rest, { replace: { type: 'boolean' } });
    switch (sub ?? 'list') {
      case 'list': {
        const l = await cli.call('models:list', {});
        for (const line of table(
          ['', 'id', 'version', 'labels', 'input', 'embedding', 'cam', 'folder'],
          l.packs.map((p) => [p.active ? '*' : '', p.id, p.version, p.labels.length, `${p.input.width}x${p.input.height}`, p.embeddingDim, p.hasCam ? 'yes' : 'no', p.dir]),
        ))
          cli.out(line);
        for (const b of l.broken) cli.out(`broken: ${b.dir}: ${b.error}`);
        cli.out(`provider: ${l.provider} (offered here: ${l.offeredProviders.join(', ')}); models folders: ${l.modelsDirs.join(', ')}`);
        cli.out(`analyse on import: ${l.analyseOnImport ? 'on' : 'off'}`);
        return 0;
      }
      case 'install': {
        if (!positional[0]) throw new CliUsageError('give the pack folder');
        const p = await cli.call('models:install', { path: positional[0], replace: values.replace === true });
        cli.out(`installed ${p.id} ${p.version} into ${p.dir}`);
        return 0;
      }
      case 'verify': {
        const results = await cli.call('models:verify', positional[0] ? { id: positional[0] } : {});
        for (const r of results) {
          cli.out(`${r.ok ? 'OK  ' : 'FAIL'} ${r.id ?? '?'} ${r.version ?? ''} (${r.dir})`);
          for (const p of r.problems) cli.out(`     ${p}`);
        }
        return results.every((r) => r.ok) ? 0 : 1;
      }
      case 'use': {
        if (!positional[0]) throw new CliUsageError('give the pack id');
        const s = await cli.call('models:setSettings', { activePackId: positional[0] });
        cli.out(`active pack: ${s.activePackId}`);
        return 0;
      }
      case 'provider': {
        const parsed = ProviderSettingSchema.safeParse(positional[0]);
        if (!parsed.success) throw new CliUsageError('give auto, cuda, dml, coreml, webgpu or cpu');
        const s = await cli.call('models:setSettings', { provider: parsed.data });
        cli.out(`execution provider: ${s.provider} (a GPU provider that fails to load falls back to CPU, logged)`);
        return 0;
      }
      case 'analyse-on-import': {
        const on = positional[0];
        if (on !== 'on' && on !== 'off') throw new CliUsageError('give on or off');
        const s = await cli.call('models:setSettings', { analyseOnImport: on === 'on' });
        cli.out(`analyse on import: ${s.analyseOnImport ? 'on' : 'off'} (imports analyse each new image with the active pack, from the pixels decoded for its thumbnail)`);
        return 0;
      }
      default:
        throw new CliUsageError(`unknown models subcommand ${sub}`);
    }
  },
};
