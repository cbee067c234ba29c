import type { Reader } from '../../api/reader.js';
import { CliUsageError, type CliCommand, type CliContext } from '../command.js';
import { parseCommandArgs } from '../format.js';

/**
 * The one way the command line chooses who acts: the workstation's reader setting (the same one Settings changes).
 * No other command takes a name; audit entries, measurements and signatures name this reader.
 */
export const readerCommand: CliCommand = {
  name: 'reader',
  usage: 'cxr reader [NAME | --clear]',
  summary: 'Show the reader the workstation acts and signs as, set it (NAME), or go back to the OS account (--clear). Audited.',
  async run(args, cli) {
    const { values, positional } = parseCommandArgs(args, { clear: { type: 'boolean' } });
    if (positional.length > 1) throw new CliUsageError('give the reader\'s name as one argument (quote it: cxr reader "Dr Ana Silva")');
    if (values.clear === true && positional.length) throw new CliUsageError('give a name or --clear, not both');
    if (values.clear === true) show(await cli.call('reader:set', { name: null }), cli);
    else if (positional.length) show(await cli.call('reader:set', { name: positional[0]! }), cli);
    else show(await cli.call('reader:get', {}), cli);
    return 0;
  },
};

function show(reader: Reader, cli: CliContext): void {
  cli.out(`Reader: ${reader.name} (${reader.source === 'setting' ? 'the reader.name setting' : 'the OS account; set a name with cxr reader NAME'})`);
}
